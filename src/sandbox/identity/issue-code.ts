import { randomUUID } from 'node:crypto';
import type { Response } from 'express';
import type { EmulatorContext } from '../context.js';
import type { User } from '../model.js';
import type { AuthorizeRequest } from './authorize-request.js';
import { respondToClient } from './client-redirect.js';
import { grantedScopes } from './consent-rules.js';
import { OIDC_SCOPES } from './scopes.js';
import { mintIdToken } from './tokens.js';

/** Entra ID authorization codes live 10 minutes. */
const CODE_LIFETIME_MS = 10 * 60_000;

/** Issues a code carrying the requested OIDC scopes and every Graph scope granted so far. */
export function issueCode(
  ctx: EmulatorContext,
  res: Response,
  request: AuthorizeRequest,
  user: User,
): void {
  const now = ctx.store.clock.now();
  const graph = grantedScopes(ctx.store, user, request.app.clientId).filter(
    (s) => !request.scopes.oidc.includes(s),
  );
  const code = ctx.store.grants.issueAuthorizationCode({
    clientId: request.app.clientId,
    redirectUri: request.redirectUri,
    userId: user.id,
    tenantId: user.tenantId,
    tenantSegment: request.tenantSegment,
    scopes: [
      ...request.scopes.oidc,
      ...graph.filter((s) => !(OIDC_SCOPES as readonly string[]).includes(s)),
    ],
    nonce: request.nonce,
    codeChallenge: request.codeChallenge,
    codeChallengeMethod: request.codeChallengeMethod,
    issuedAt: now,
    expiresAt: new Date(now.getTime() + CODE_LIFETIME_MS),
  });
  const idToken =
    request.responseType === 'code id_token'
      ? mintIdToken(ctx, {
          user,
          app: request.app,
          nonce: request.nonce,
          oidcScopes: request.scopes.oidc,
          code: code.code,
        })
      : undefined;
  respondToClient(res, request, {
    code: code.code,
    id_token: idToken,
    state: request.state,
    session_state: randomUUID(),
  });
}
