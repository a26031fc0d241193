import { Injectable } from '@nestjs/common';
import { IdentityPlatformClient } from './identity-platform.client.js';

/** Renew an app-only token this long before it expires. */
const EARLY_MS = 5 * 60_000;

interface CachedToken {
  accessToken: string;
  expiresAt: number;
}

/**
 * App-only (client credentials) tokens for tenants that granted admin consent, cached per
 * tenant until shortly before expiry; concurrent callers share one request.
 */
@Injectable()
export class AppTokenService {
  private readonly cache = new Map<string, CachedToken>();
  private readonly pending = new Map<string, Promise<CachedToken>>();

  constructor(private readonly identity: IdentityPlatformClient) {}

  async token(tenantId: string): Promise<string> {
    const cached = this.cache.get(tenantId);
    if (cached && cached.expiresAt - EARLY_MS > Date.now()) return cached.accessToken;
    let request = this.pending.get(tenantId);
    if (!request) {
      request = this.fetch(tenantId).finally(() => this.pending.delete(tenantId));
      this.pending.set(tenantId, request);
    }
    return (await request).accessToken;
  }

  /** Forget a tenant's token (consent revoked, or Graph refused it). */
  forget(tenantId: string): void {
    this.cache.delete(tenantId);
  }

  private async fetch(tenantId: string): Promise<CachedToken> {
    const set = await this.identity.clientCredentials(tenantId);
    const token = { accessToken: set.accessToken, expiresAt: set.expiresAt.getTime() };
    this.cache.set(tenantId, token);
    return token;
  }
}
