import { randomBytes } from 'node:crypto';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { loadOrCreateLocalSecret } from '../config/local-secret.js';

export const DEV_JWT_SECRET_FILE = 'app-jwt-dev-secret';

/**
 * The HS256 key for ScendCore bearer tokens: APP_JWT_SECRET, or in sandbox/test mode a secret
 * generated once under DATA_DIR (used by `POST /v1/sandbox/token` and `npm run token`).
 */
@Injectable()
export class AppJwtSecret implements OnModuleInit {
  private readonly logger = new Logger(AppJwtSecret.name);
  private cached?: Uint8Array;

  constructor(private readonly config: AppConfig) {}

  /** In sandbox/test mode the key file exists from the start, so `npm run token` can read it. */
  onModuleInit(): void {
    this.key();
  }

  key(): Uint8Array {
    this.cached ??= new TextEncoder().encode(this.resolve());
    return this.cached;
  }

  private resolve(): string {
    if (this.config.appJwt.secret) return this.config.appJwt.secret;
    if (!this.config.devMode) throw new Error('APP_JWT_SECRET or APP_JWKS_URL is required');
    const path = this.config.dataPath(DEV_JWT_SECRET_FILE);
    const { value, created } = loadOrCreateLocalSecret(path, () =>
      randomBytes(32).toString('base64url'),
    );
    if (created) this.logger.warn({ path }, 'generated a sandbox bearer-token secret');
    return value;
  }
}
