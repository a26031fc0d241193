import { createHash } from 'node:crypto';
import type { AuthorizationCode } from '../../model.js';
import { missingParameter } from '../aad-error.js';
import {
  invalidGrant,
  requireUser,
  userTokenResponse,
  type GrantInput,
  type GrantResult,
} from './grant.js';

const MALFORMED = 'Invalid request. Request is malformed or invalid.';

/** `grant_type=authorization_code`: single use, bound to client, redirect URI, tenant and PKCE. */
export function redeemAuthorizationCode(input: GrantInput): GrantResult {
  const { ctx, app, params } = input;
  if (!params.code) throw missingParameter('code');
  const code = ctx.store.grants.findAuthorizationCode(params.code);
  if (!code) throw invalidGrant(9002313, MALFORMED);
  if (code.redeemed) {
    throw invalidGrant(
      54005,
      'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.',
    );
  }
  checkBinding(input, code);
  if (code.expiresAt.getTime() < ctx.store.clock.nowMs()) {
    throw invalidGrant(
      70008,
      `The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource. The token was issued on ${code.issuedAt.toISOString()}.`,
    );
  }
  checkPkce(code, params.code_verifier);
  ctx.store.grants.markCodeRedeemed(code.code);
  const user = requireUser(ctx, code.userId);
  return {
    body: userTokenResponse(ctx, app, user, code.scopes, code.nonce),
    userId: user.id,
    tenantId: user.tenantId,
  };
}

function checkBinding(input: GrantInput, code: AuthorizationCode): void {
  if (code.clientId !== input.app.clientId) {
    throw invalidGrant(
      70000,
      "The provided value for the 'code' parameter is not valid. The code was issued to a different client.",
    );
  }
  if (!input.params.redirect_uri) throw missingParameter('redirect_uri');
  if (input.params.redirect_uri !== code.redirectUri) {
    throw invalidGrant(
      70000,
      "The provided value for the 'redirect_uri' is not valid. The value must exactly match the redirect URI used to obtain the authorization code.",
    );
  }
  // A code may be redeemed at a generic authority or at its user's own tenant, never another.
  const redeemTenant = input.authority.tenant?.id;
  if ((redeemTenant && redeemTenant !== code.tenantId) || input.authority.kind === 'consumers') {
    throw invalidGrant(
      700005,
      'Provided Authorization Code is intended to use against other tenant, thus rejected.',
    );
  }
}

function checkPkce(code: AuthorizationCode, verifier: string | undefined): void {
  if (!code.codeChallenge) return;
  const computed =
    code.codeChallengeMethod === 'S256' && verifier
      ? createHash('sha256').update(verifier).digest('base64url')
      : verifier;
  if (computed !== code.codeChallenge) {
    throw invalidGrant(
      501481,
      'The Code_Verifier does not match the code_challenge supplied in the authorization request.',
    );
  }
}
