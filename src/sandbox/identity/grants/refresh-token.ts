import { AadError, missingParameter } from '../aad-error.js';
import { parseDelegatedScopes } from '../scopes.js';
import {
  invalidGrant,
  requireUser,
  userTokenResponse,
  type GrantInput,
  type GrantResult,
} from './grant.js';

/** Refresh tokens die after 90 days without use (Entra ID's fixed inactivity window). */
const INACTIVITY_MS = 90 * 86_400_000;

/**
 * `grant_type=refresh_token`: every use returns a new refresh token; the old one stays valid
 * until revoked, as Entra ID does.
 */
export function redeemRefreshToken(input: GrantInput): GrantResult {
  const { ctx, app, params } = input;
  if (!params.refresh_token) throw missingParameter('refresh_token');
  const grant = ctx.store.grants.findRefreshToken(params.refresh_token);
  if (!grant) throw invalidGrant(9002313, 'Invalid request. Request is malformed or invalid.');
  if (grant.clientId !== app.clientId)
    throw invalidGrant(70000, 'Provided grant is invalid or malformed.');
  if (grant.revoked) {
    throw invalidGrant(
      50173,
      `The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password. The grant was issued on '${grant.issuedAt.toISOString()}' and the TokensValidFrom date (before which tokens are not valid) for this user is '${ctx.store.clock.now().toISOString()}'.`,
    );
  }
  if (ctx.store.clock.nowMs() - grant.issuedAt.getTime() > INACTIVITY_MS) {
    throw invalidGrant(
      700082,
      `The refresh token has expired due to inactivity. The token was issued on ${grant.issuedAt.toISOString()} and was inactive for 90.00:00:00.`,
    );
  }
  if (input.authority.tenant && input.authority.tenant.id !== grant.tenantId) {
    throw invalidGrant(
      700005,
      'Provided grant is intended to use against other tenant, thus rejected.',
    );
  }
  const scopes = narrowScopes(input, grant.scopes);
  const user = requireUser(ctx, grant.userId);
  return {
    body: userTokenResponse(ctx, app, user, scopes, null),
    userId: user.id,
    tenantId: user.tenantId,
  };
}

/** A refresh may ask for a subset of the granted scopes; anything new needs consent first. */
function narrowScopes(input: GrantInput, granted: string[]): string[] {
  if (!input.params.scope) return granted;
  const requested = parseDelegatedScopes(input.params.scope, input.app);
  const all = [...requested.oidc, ...requested.graph];
  const missing = requested.graph.filter((s) => !granted.includes(s));
  if (missing.length > 0) {
    throw new AadError(
      'invalid_grant',
      65001,
      `The user or administrator has not consented to use the application with ID '${input.app.clientId}' named '${input.app.displayName}'. Send an interactive authorization request for this user and resource.`,
      400,
      { suberror: 'consent_required' },
    );
  }
  // offline_access survives a narrowed refresh so the client keeps a refresh token.
  const keep = granted.includes('offline_access') ? ['offline_access'] : [];
  return [...new Set([...all.filter((s) => granted.includes(s)), ...keep])];
}
