/** Callback error codes of the product guide (design §4). */
export type ConnectErrorCode =
  | 'invalid_state'
  | 'token_exchange_failed'
  | 'profile_fetch_failed'
  | 'access_denied'
  | 'admin_consent_required';

/** passport-azure-ad prefixes random state with "CUSTOM" + 32 chars before our custom state. */
const CUSTOM_STATE_PREFIX = 38;
const ATTEMPT_ID = /^[A-Za-z0-9_-]{20,64}$/;

export function attemptIdFromState(state: unknown): string | undefined {
  if (typeof state !== 'string' || !state.startsWith('CUSTOM')) return undefined;
  const id = state.slice(CUSTOM_STATE_PREFIX);
  return ATTEMPT_ID.test(id) ? id : undefined;
}

export function isAttemptId(value: unknown): value is string {
  return typeof value === 'string' && ATTEMPT_ID.test(value);
}

/**
 * Maps why passport-azure-ad failed (its message, or the OAuth error Microsoft redirected
 * with) to the guide's codes.
 */
export function connectErrorFromFailure(info: string): ConnectErrorCode {
  const message = info.trim();
  if (message === 'access_denied') return 'access_denied';
  if (['consent_required', 'interaction_required', 'admin_consent_required'].includes(message)) {
    return 'admin_consent_required';
  }
  if (/state|nonce/i.test(message)) return 'invalid_state';
  return 'token_exchange_failed';
}

/**
 * Multi-tenant sign-in: the signing keys are shared by every tenant, so a valid signature
 * proves nothing about the tenant. The issuer must be the authority's issuer for `tid`.
 */
export function issuerMatchesTenant(iss: unknown, tid: unknown, authorityHost: string): boolean {
  if (typeof iss !== 'string' || typeof tid !== 'string' || tid === '') return false;
  return iss === `${authorityHost}/${tid}/v2.0`;
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
