import { createHash } from 'node:crypto';

/** Callback error codes (design §4) an admin consent can end in. */
export type AdminConsentErrorCode = 'invalid_state' | 'access_denied' | 'admin_consent_failed';

const SECRET = /^[A-Za-z0-9_-]{43}$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

/** A link secret as we issue it (32 random bytes, base64url), or undefined. */
export function linkSecret(value: unknown): string | undefined {
  return typeof value === 'string' && SECRET.test(value) ? value : undefined;
}

/** Attempts are stored by the SHA-256 of their secret: the table alone opens no link. */
export function attemptIdOf(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function isTenantId(value: unknown): value is string {
  return typeof value === 'string' && GUID.test(value);
}

/** What `tenant` may name at start: a tenant id, a verified domain, or `organizations`. */
export function isTenantHint(value: string): boolean {
  return value === 'organizations' || isTenantId(value) || DOMAIN.test(value);
}

/** Asked at the authorize endpoint: a sign-in (id_token) plus the app's static permissions. */
export const CONSENT_SCOPES = ['openid', 'profile', 'https://graph.microsoft.com/.default'];

/**
 * The id_token's nonce, derived from the link secret (which only the attempt's hash stores):
 * the callback recomputes it from its `state`, so an id_token minted for another request fails.
 */
export function nonceOf(secret: string): string {
  return createHash('sha256').update(`nonce:${secret}`).digest('base64url');
}

/**
 * The v2 authorize URL with `prompt=admin_consent`: only an admin can finish it, and the code
 * it returns yields an id_token proving which tenant consented. `organizations` lets an admin
 * of any work tenant consent for it; `common` does not work for admin consent and is never used.
 */
export function adminConsentUrl(input: {
  authorityHost: string;
  tenant: string | null;
  clientId: string;
  redirectUri: string;
  state: string;
}): string {
  const segment = input.tenant && input.tenant !== 'organizations' ? input.tenant : 'organizations';
  const query = new URLSearchParams({
    client_id: input.clientId,
    response_type: 'code',
    response_mode: 'query',
    redirect_uri: input.redirectUri,
    scope: CONSENT_SCOPES.join(' '),
    prompt: 'admin_consent',
    state: input.state,
    nonce: nonceOf(input.state),
  });
  return `${input.authorityHost}/${encodeURIComponent(segment)}/oauth2/v2.0/authorize?${query}`;
}

export type CallbackVerdict =
  | { ok: true; code: string }
  | { ok: false; error: Exclude<AdminConsentErrorCode, 'invalid_state'>; detail: string };

/**
 * After the state was found usable: `error` first (a Cancel may still carry
 * `admin_consent=True`), then a `code` to redeem. The query's `tenant` is never trusted: the
 * tenant comes from the verified id_token (see {@link judgeIdToken}).
 */
export function judgeCallback(query: Record<string, unknown>): CallbackVerdict {
  const error = text(query.error);
  if (error) {
    const code = error === 'access_denied' ? 'access_denied' : 'admin_consent_failed';
    return { ok: false, error: code, detail: error.slice(0, 100) };
  }
  const code = text(query.code);
  if (!code) return { ok: false, error: 'admin_consent_failed', detail: 'no code' };
  return { ok: true, code };
}

export type TenantVerdict =
  { ok: true; tenantId: string } | { ok: false; error: 'admin_consent_failed'; detail: string };

/** The verified id_token's tenant, which must be the one the link named when it named an id. */
export function judgeIdToken(
  verifiedTenant: string | null,
  requestedTenant: string | null,
): TenantVerdict {
  if (!verifiedTenant) {
    return { ok: false, error: 'admin_consent_failed', detail: 'id_token not verified' };
  }
  const tenantId = verifiedTenant.toLowerCase();
  if (isTenantId(requestedTenant) && requestedTenant.toLowerCase() !== tenantId) {
    return { ok: false, error: 'admin_consent_failed', detail: 'another tenant consented' };
  }
  return { ok: true, tenantId };
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A returnTo must be on one of the allowed frontend origins (no open redirect). */
export function allowedReturnTo(returnTo: string, frontendUrls: string[]): boolean {
  if (!URL.canParse(returnTo)) return false;
  const url = new URL(returnTo);
  if (url.username || url.password) return false;
  return frontendUrls.some((allowed) => new URL(allowed).origin === url.origin);
}

/** Adds `?key=value` to the return URL, keeping what it already carries. */
export function withQuery(returnTo: string, key: string, value: string): string {
  const url = new URL(returnTo);
  url.searchParams.set(key, value);
  return url.toString();
}
