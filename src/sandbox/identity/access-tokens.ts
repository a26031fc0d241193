import type { EmulatorContext } from '../context.js';
import { verifyRs256, type JwtClaims } from './jwt.js';
import { GRAPH_APP_ID, GRAPH_RESOURCE } from './scopes.js';

/** Who a Graph request acts for, from its bearer token. */
export interface GraphPrincipal {
  kind: 'user' | 'app';
  tenantId: string;
  /** Signed-in user (oid) for delegated tokens; null for app-only. */
  userId: string | null;
  clientId: string;
  /** Delegated permissions (`scp`). */
  scopes: string[];
  /** Application permissions (`roles`). */
  roles: string[];
  claims: JwtClaims;
}

export type VerifyResult = { ok: true; principal: GraphPrincipal } | { ok: false; message: string };

const CACHE_LIMIT = 10_000;

/**
 * Validates Graph access tokens as Graph would. A verified token is cached by its string so
 * the hot path costs one map lookup plus a lifetime check, not an RSA verification.
 */
export class AccessTokenVerifier {
  private readonly cache = new Map<string, GraphPrincipal>();

  constructor(private readonly ctx: EmulatorContext) {}

  verify(token: string | null): VerifyResult {
    if (!token) return { ok: false, message: 'Access token is empty.' };
    const principal = this.cache.get(token) ?? this.verifySignature(token);
    if (!principal) return { ok: false, message: 'Access token validation failure.' };
    if (typeof principal === 'string') return { ok: false, message: principal };
    const nowSec = this.ctx.store.clock.nowMs() / 1000;
    if (Number(principal.claims.exp) <= nowSec)
      return { ok: false, message: 'Lifetime validation failed, the token is expired.' };
    if (Number(principal.claims.nbf) > nowSec + 300)
      return { ok: false, message: 'Lifetime validation failed, the token is not yet valid.' };
    return { ok: true, principal };
  }

  private verifySignature(token: string): GraphPrincipal | string | null {
    if (token.split('.').length !== 3)
      return 'CompactToken parsing failed with error code: 80049217';
    const decoded = verifyRs256(token, this.ctx.keys.publicKey);
    if (!decoded) return null;
    const { claims } = decoded;
    if (claims.aud !== GRAPH_APP_ID && claims.aud !== GRAPH_RESOURCE)
      return 'Access token validation failure. Invalid audience.';
    const principal = toPrincipal(claims);
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    this.cache.set(token, principal);
    return principal;
  }
}

function toPrincipal(claims: JwtClaims): GraphPrincipal {
  const app = claims.idtyp === 'app';
  return {
    kind: app ? 'app' : 'user',
    tenantId: String(claims.tid),
    userId: app ? null : String(claims.oid),
    clientId: String(claims.appid),
    scopes: typeof claims.scp === 'string' ? claims.scp.split(' ').filter(Boolean) : [],
    roles: Array.isArray(claims.roles) ? claims.roles.map(String) : [],
    claims,
  };
}
