import type { EmulatorContext } from '../../context.js';
import type { AppRegistration, User } from '../../model.js';
import { AadError } from '../aad-error.js';
import type { TenantScope } from '../tenant-segment.js';
import {
  accessTokenLifetime,
  mintIdToken,
  mintUserAccessToken,
  type TokenResponse,
} from '../tokens.js';

export interface GrantInput {
  ctx: EmulatorContext;
  app: AppRegistration;
  params: Record<string, string>;
  authority: TenantScope;
  tenantSegment: string;
}

export interface GrantResult {
  body: TokenResponse;
  userId: string | null;
  tenantId: string | null;
}

const OIDC = ['openid', 'profile', 'email', 'offline_access'];

/** The token response for a user: access token, plus refresh and id tokens when granted. */
export function userTokenResponse(
  ctx: EmulatorContext,
  app: AppRegistration,
  user: User,
  scopes: string[],
  nonce: string | null,
): TokenResponse {
  const lifetime = accessTokenLifetime(ctx, user.tenantId);
  const graph = scopes.filter((s) => !OIDC.includes(s));
  const oidc = scopes.filter((s) => OIDC.includes(s));
  const body: TokenResponse = {
    token_type: 'Bearer',
    scope: [...graph, ...oidc.filter((s) => s !== 'offline_access')].join(' '),
    expires_in: lifetime,
    ext_expires_in: lifetime,
    access_token: mintUserAccessToken(ctx, { user, app, scopes: graph, lifetimeSec: lifetime }),
  };
  if (oidc.includes('offline_access')) {
    body.refresh_token = ctx.store.grants.issueRefreshToken({
      userId: user.id,
      tenantId: user.tenantId,
      clientId: app.clientId,
      scopes,
    }).token;
  }
  if (oidc.includes('openid'))
    body.id_token = mintIdToken(ctx, { user, app, nonce, oidcScopes: oidc });
  return body;
}

export function requireUser(ctx: EmulatorContext, userId: string): User {
  const user = ctx.store.directory.getUser(userId);
  if (user?.accountEnabled) return user;
  throw new AadError('invalid_grant', 50057, 'The user account is disabled.');
}

export function invalidGrant(
  code: number,
  description: string,
  extra: Record<string, unknown> = {},
): AadError {
  return new AadError('invalid_grant', code, description, 400, extra);
}
