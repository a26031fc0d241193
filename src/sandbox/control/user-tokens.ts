import type { EmulatorContext } from '../context.js';
import { OIDC_SCOPES } from '../identity/scopes.js';
import { accessTokenLifetime, mintUserAccessToken } from '../identity/tokens.js';
import type { User } from '../model.js';

export interface IssuedUserTokens {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

/** Tokens as if the user had signed in and consented (no pages, no token log entry). */
export function issueUserTokens(
  ctx: EmulatorContext,
  user: User,
  clientId: string,
  scopes: string[],
): IssuedUserTokens {
  const app = ctx.store.directory.getApp(clientId);
  if (!app) throw new Error(`Unknown app ${clientId}`);
  const lifetimeSec = accessTokenLifetime(ctx, user.tenantId);
  const oidc: readonly string[] = OIDC_SCOPES;
  const graphScopes = scopes.filter((s) => !oidc.includes(s));
  const accessToken = mintUserAccessToken(ctx, { user, app, scopes: graphScopes, lifetimeSec });
  const grant = ctx.store.grants.issueRefreshToken({
    userId: user.id,
    tenantId: user.tenantId,
    clientId,
    scopes,
  });
  return { accessToken, refreshToken: grant.token, expiresIn: lifetimeSec };
}
