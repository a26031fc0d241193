import { Injectable } from '@nestjs/common';
import { createRemoteJWKSet, type JWTPayload, jwtVerify } from 'jose';
import { AppConfig } from '../config/app-config.js';
import type { Actor } from './actor.js';
import { UnauthenticatedError } from './auth.errors.js';
import { AppJwtSecret } from './app-jwt-secret.js';

const CLOCK_TOLERANCE_S = 30;

/** Verifies ScendCore's bearer JWTs (HS256 secret or a JWKS URL; issuer, audience, expiry). */
@Injectable()
export class TokenVerifier {
  private readonly jwks?: ReturnType<typeof createRemoteJWKSet>;

  constructor(
    private readonly config: AppConfig,
    private readonly secret: AppJwtSecret,
  ) {
    if (config.appJwt.jwksUrl) this.jwks = createRemoteJWKSet(new URL(config.appJwt.jwksUrl));
  }

  async verify(token: string): Promise<Actor> {
    const payload = await this.verifySignature(token);
    const workspaceId = payload[this.config.appJwt.workspaceClaim];
    if (typeof payload.sub !== 'string' || payload.sub === '') {
      throw new UnauthenticatedError('The token has no subject.');
    }
    if (typeof workspaceId !== 'string' || workspaceId === '') {
      throw new UnauthenticatedError('The token names no workspace.');
    }
    return { userId: payload.sub, workspaceId };
  }

  private async verifySignature(token: string): Promise<JWTPayload> {
    const options = {
      issuer: this.config.appJwt.issuer,
      audience: this.config.appJwt.audience,
      clockTolerance: CLOCK_TOLERANCE_S,
      requiredClaims: ['exp'],
    };
    try {
      const result = this.jwks
        ? await jwtVerify(token, this.jwks, options)
        : await jwtVerify(token, this.secret.key(), { ...options, algorithms: ['HS256'] });
      return result.payload;
    } catch {
      throw new UnauthenticatedError('The bearer token is invalid or expired.');
    }
  }
}
