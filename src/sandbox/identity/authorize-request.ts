import type { AppRegistration } from '../model.js';
import type { EmulatorStore } from '../store.js';
import { AadError, missingParameter } from './aad-error.js';
import type { ClientRedirect, ResponseMode } from './client-redirect.js';
import { isRedirectUriAllowed } from './redirect-uris.js';
import { parseDelegatedScopes, type RequestedScopes } from './scopes.js';
import { resolveTenantSegment, type TenantScope } from './tenant-segment.js';

export type Prompt = 'login' | 'none' | 'consent' | 'select_account' | 'admin_consent' | null;

/** A validated `/authorize` request. */
export interface AuthorizeRequest extends ClientRedirect {
  tenantSegment: string;
  authority: TenantScope;
  app: AppRegistration;
  responseType: 'code' | 'code id_token';
  state: string | null;
  nonce: string | null;
  loginHint: string | null;
  prompt: Prompt;
  scopes: RequestedScopes;
  codeChallenge: string | null;
  codeChallengeMethod: 'S256' | 'plain' | null;
}

/**
 * A rejected request. Until the redirect URI is known to be registered the error is shown on
 * a page (`redirect` null): Entra ID never redirects to an unverified URI.
 */
export class AuthorizeFailure extends Error {
  constructor(
    readonly error: AadError,
    readonly redirect: ClientRedirect | null,
    readonly state: string | null,
  ) {
    super(error.message);
  }
}

export function parseAuthorizeRequest(
  store: EmulatorStore,
  tenantSegment: string,
  params: Record<string, string>,
): AuthorizeRequest {
  const authority = pageStep(() => resolveTenantSegment(store, tenantSegment));
  const app = pageStep(() => findApp(store, params.client_id, tenantSegment));
  const redirectUri = pageStep(() => checkRedirectUri(app, params.redirect_uri));
  const state = params.state ?? null;
  const responseType = normaliseResponseType(params.response_type);
  const responseMode = chooseResponseMode(params.response_mode, responseType);
  const target: ClientRedirect = { redirectUri, responseMode: responseMode ?? 'query' };
  const fail = (error: AadError) => new AuthorizeFailure(error, target, state);
  if (!responseType) throw fail(unsupportedResponseType(params.response_type, app));
  if (!responseMode) throw fail(badResponseMode(params.response_mode));
  if (!params.scope) throw fail(missingParameter('scope'));
  let scopes: RequestedScopes;
  try {
    scopes = parseDelegatedScopes(params.scope, app);
  } catch (err) {
    throw err instanceof AadError ? fail(err) : err;
  }
  if (responseType === 'code id_token' && !params.nonce) throw fail(missingParameter('nonce'));
  const pkce = parsePkce(params);
  if (pkce instanceof AadError) throw fail(pkce);
  return {
    tenantSegment,
    authority,
    app,
    ...target,
    responseType,
    state,
    nonce: params.nonce ?? null,
    loginHint: params.login_hint ?? null,
    prompt: parsePrompt(params.prompt),
    scopes,
    ...pkce,
  };
}

function pageStep<T>(step: () => T): T {
  try {
    return step();
  } catch (err) {
    throw err instanceof AadError ? new AuthorizeFailure(err, null, null) : err;
  }
}

export function findApp(
  store: EmulatorStore,
  clientId: string | undefined,
  tenant: string,
): AppRegistration {
  if (!clientId) throw missingParameter('client_id');
  const app = store.directory.getApp(clientId);
  if (app) return app;
  throw new AadError(
    'unauthorized_client',
    700016,
    `Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
  );
}

function checkRedirectUri(app: AppRegistration, redirectUri: string | undefined): string {
  const uri = redirectUri ?? (app.redirectUris.length === 1 ? app.redirectUris[0] : undefined);
  if (uri && isRedirectUriAllowed(app, uri)) return uri;
  throw new AadError(
    'invalid_request',
    50011,
    `The redirect URI '${uri ?? ''}' specified in the request does not match the redirect URIs configured for the application '${app.clientId}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal. Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to fix this.`,
  );
}

function normaliseResponseType(raw: string | undefined): AuthorizeRequest['responseType'] | null {
  const parts = (raw ?? '').split(/\s+/).filter(Boolean).sort();
  const key = parts.join(' ');
  if (key === 'code') return 'code';
  if (key === 'code id_token') return 'code id_token';
  return null;
}

function chooseResponseMode(
  raw: string | undefined,
  type: AuthorizeRequest['responseType'] | null,
): ResponseMode | null {
  if (raw === undefined) return type === 'code id_token' ? 'fragment' : 'query';
  if (raw === 'form_post' || raw === 'fragment') return raw;
  // Tokens never travel in a query string.
  if (raw === 'query') return type === 'code id_token' ? null : 'query';
  return null;
}

function unsupportedResponseType(raw: string | undefined, app: AppRegistration): AadError {
  if (!raw) return missingParameter('response_type');
  return new AadError(
    'unsupported_response_type',
    70005,
    `response_type '${raw}' is not enabled for the application '${app.clientId}'.`,
  );
}

function badResponseMode(raw: string | undefined): AadError {
  return new AadError(
    'invalid_request',
    70007,
    `The response_mode '${raw ?? ''}' is not supported for the requested response_type.`,
  );
}

function parsePrompt(raw: string | undefined): Prompt {
  const known = ['login', 'none', 'consent', 'select_account', 'admin_consent'] as const;
  return known.find((p) => p === raw) ?? null;
}

function parsePkce(
  params: Record<string, string>,
): Pick<AuthorizeRequest, 'codeChallenge' | 'codeChallengeMethod'> | AadError {
  const challenge = params.code_challenge ?? null;
  const method = params.code_challenge_method ?? (challenge ? 'plain' : null);
  if (method !== null && method !== 'S256' && method !== 'plain') {
    return new AadError(
      'invalid_request',
      90023,
      `Invalid code_challenge_method '${method}'. Supported values are 'S256' and 'plain'.`,
    );
  }
  if (method !== null && !challenge) return missingParameter('code_challenge');
  return { codeChallenge: challenge, codeChallengeMethod: method };
}
