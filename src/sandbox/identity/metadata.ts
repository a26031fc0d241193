import { Router } from 'express';
import type { EmulatorContext } from '../context.js';
import { sendAadError, AadError } from './aad-error.js';
import { resolveTenantSegment } from './tenant-segment.js';

/** OIDC discovery and JWKS, shaped like Entra ID's v2 documents. */
export function metadataRoutes(ctx: EmulatorContext): Router {
  const router = Router();
  router.get('/:tenant/v2.0/.well-known/openid-configuration', (req, res) => {
    try {
      res
        .set('Cache-Control', 'max-age=86400, private')
        .json(openIdConfiguration(ctx, req.params.tenant));
    } catch (err) {
      if (!(err instanceof AadError)) throw err;
      sendAadError(res, err, ctx.baseUrl, ctx.store.clock.now());
    }
  });
  router.get('/:tenant/discovery/v2.0/keys', (req, res) => {
    const issuer = `${ctx.baseUrl}/{tenantid}/v2.0`;
    res.set('Cache-Control', 'max-age=86400, private').json({
      keys: ctx.keys.jwks.keys.map((k) => ({ ...k, issuer })),
    });
  });
  return router;
}

export function openIdConfiguration(
  ctx: EmulatorContext,
  segment: string,
): Record<string, unknown> {
  const scope = resolveTenantSegment(ctx.store, segment);
  // Tenant-specific documents name the tenant GUID; generic ones keep their segment and
  // publish the issuer as a template, as Entra ID does.
  const pathTenant = scope.tenant ? scope.tenant.id : scope.kind;
  const issuerTenant = scope.tenant ? scope.tenant.id : '{tenantid}';
  const base = `${ctx.baseUrl}/${pathTenant}`;
  const host = new URL(ctx.baseUrl).host;
  return {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: [
      'client_secret_post',
      'private_key_jwt',
      'client_secret_basic',
    ],
    jwks_uri: `${base}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: `${ctx.baseUrl}/${issuerTenant}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${ctx.baseUrl}/oidc/userinfo`,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    claims_supported: [
      'sub',
      'iss',
      'cloud_instance_name',
      'cloud_instance_host_name',
      'cloud_graph_host_name',
      'msgraph_host',
      'aud',
      'exp',
      'iat',
      'auth_time',
      'acr',
      'nonce',
      'preferred_username',
      'name',
      'tid',
      'ver',
      'at_hash',
      'c_hash',
      'email',
    ],
    kerberos_endpoint: `${base}/kerberos`,
    tenant_region_scope: scope.tenant ? 'NA' : null,
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: host,
    rbac_url: 'https://pas.windows.net',
  };
}
