import { Injectable } from '@nestjs/common';
import { createRemoteJWKSet, customFetch, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { AppConfig } from '../config/app-config.js';
import { MicrosoftHttp } from './microsoft-http.js';

export interface VerifiedIdToken {
  tenantId: string;
  objectId: string | null;
}

const TENANT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Checks an id_token from the identity platform: signature against the tenant's JWKS (fetched
 * through our Microsoft https trust), `iss` of its own `tid`, `aud` = our client id, `nonce`.
 * Returns null when anything does not hold.
 */
@Injectable()
export class IdTokenVerifier {
  private readonly keySets = new Map<string, JWTVerifyGetKey>();

  constructor(
    private readonly config: AppConfig,
    private readonly http: MicrosoftHttp,
  ) {}

  async verify(idToken: string, nonce: string): Promise<VerifiedIdToken | null> {
    const tid = unverifiedTenant(idToken);
    if (!tid) return null;
    try {
      const { payload } = await jwtVerify(idToken, this.keySet(tid), {
        issuer: `${this.config.microsoft.authorityHost}/${tid}/v2.0`,
        audience: this.config.microsoft.clientId ?? '',
        algorithms: ['RS256'],
      });
      if (payload.nonce !== nonce || payload.tid !== tid) return null;
      return { tenantId: tid, objectId: typeof payload.oid === 'string' ? payload.oid : null };
    } catch {
      return null;
    }
  }

  private keySet(tid: string): JWTVerifyGetKey {
    let keys = this.keySets.get(tid);
    if (!keys) {
      const url = new URL(`${this.config.microsoft.authorityHost}/${tid}/discovery/v2.0/keys`);
      keys = createRemoteJWKSet(url, {
        [customFetch]: (input, init) =>
          this.http.fetch(String(input), {
            method: init.method,
            headers: { accept: 'application/json' },
            signal: init.signal,
          }) as unknown as Promise<Response>,
      });
      this.keySets.set(tid, keys);
    }
    return keys;
  }
}

/** The `tid` claim read before verification, only to pick the issuer and keys to verify with. */
function unverifiedTenant(idToken: string): string | null {
  const part = idToken.split('.')[1];
  if (!part) return null;
  try {
    const claims = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as { tid?: unknown };
    return typeof claims.tid === 'string' && TENANT_ID.test(claims.tid)
      ? claims.tid.toLowerCase()
      : null;
  } catch {
    return null;
  }
}
