import { AadError, missingParameter } from '../aad-error.js';
import { isGraphDefaultScope } from '../scopes.js';
import { accessTokenLifetime, mintAppAccessToken } from '../tokens.js';
import { hasAppOnlyConsent } from './service-principal.js';
import type { GrantInput, GrantResult } from './grant.js';

/**
 * `grant_type=client_credentials`: only `https://graph.microsoft.com/.default`, only at a
 * tenant-specific authority, only in the app's home tenant or after admin consent in the tenant
 * (else 400 `unauthorized_client` AADSTS700016). Roles come from admin consent; no refresh token.
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
  if (!hasAppOnlyConsent(ctx.store, app.clientId, tenantId)) {
    throw new AadError(
      'unauthorized_client',
      700016,
      `Application with identifier '${app.clientId}' was not found in the directory '${authority.tenant.name}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
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
