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

/**
 * Microsoft's v2 admin consent URL. `organizations` lets an admin of any work tenant consent
 * for it; `common` does not work for admin consent and is never used.
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
    scope: 'https://graph.microsoft.com/.default',
    redirect_uri: input.redirectUri,
    state: input.state,
  });
  return `${input.authorityHost}/${encodeURIComponent(segment)}/v2.0/adminconsent?${query}`;
}

export type CallbackVerdict =
  | { ok: true; tenantId: string }
  | { ok: false; error: Exclude<AdminConsentErrorCode, 'invalid_state'>; detail: string };

/**
 * After the state was found usable: `error` first (Microsoft's Cancel still carries
 * `admin_consent=True`), then `admin_consent=True` (any case) with a tenant id, which must be
 * the tenant the link named when it named one by id.
 */
export function judgeCallback(
  query: Record<string, unknown>,
  requestedTenant: string | null,
): CallbackVerdict {
  const error = text(query.error);
  if (error) {
    const code = error === 'access_denied' ? 'access_denied' : 'admin_consent_failed';
    return { ok: false, error: code, detail: error.slice(0, 100) };
  }
  if (text(query.admin_consent)?.toLowerCase() !== 'true') {
    return { ok: false, error: 'admin_consent_failed', detail: 'no admin_consent=True' };
  }
  const tenantId = text(query.tenant)?.toLowerCase();
  if (!isTenantId(tenantId))
    return { ok: false, error: 'admin_consent_failed', detail: 'no tenant' };
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
