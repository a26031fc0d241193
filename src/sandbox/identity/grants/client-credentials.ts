import { AadError, missingParameter } from '../aad-error.js';
import { isGraphDefaultScope } from '../scopes.js';
import { accessTokenLifetime, mintAppAccessToken } from '../tokens.js';
import { hasServicePrincipal } from './service-principal.js';
import type { GrantInput, GrantResult } from './grant.js';

/**
 * `grant_type=client_credentials`: only `https://graph.microsoft.com/.default`, only at a
 * tenant-specific authority, only once the app exists in that tenant. Roles come from admin
 * consent; no refresh token.
 */
export function clientCredentials(input: GrantInput): GrantResult {
  const { ctx, app, params, authority } = input;
  if (!params.scope) throw missingParameter('scope');
  if (!isGraphDefaultScope(params.scope)) {
    throw new AadError(
      'invalid_scope',
      1002012,
      `The provided value for scope ${params.scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    );
  }
  if (authority.kind === 'common' || authority.kind === 'consumers') {
    throw new AadError(
      'invalid_request',
      9001023,
      'The grant type is not supported over the /common or /consumers endpoints. Please use the /organizations or tenant-specific endpoint.',
    );
  }
  if (!authority.tenant) {
    throw new AadError(
      'invalid_request',
      50059,
      'No tenant-identifying information found in either the request or implied by any provided credentials.',
    );
  }
  const tenantId = authority.tenant.id;
  if (!hasServicePrincipal(ctx.store, app, tenantId)) {
    throw new AadError(
      'invalid_client',
      7000229,
      `The client application ${app.clientId} is missing service principal in the tenant ${tenantId}. See instructions here: https://go.microsoft.com/fwlink/?linkid=2225119`,
      401,
    );
  }
  const roles = ctx.store.directory.getAdminConsent(tenantId, app.clientId)?.roles ?? [];
  const lifetime = accessTokenLifetime(ctx, tenantId);
  return {
    body: {
      token_type: 'Bearer',
      scope: 'https://graph.microsoft.com/.default',
      expires_in: lifetime,
      ext_expires_in: lifetime,
      access_token: mintAppAccessToken(ctx, { tenantId, app, roles, lifetimeSec: lifetime }),
    },
    userId: null,
    tenantId,
  };
}
