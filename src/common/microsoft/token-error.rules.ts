/**
 * What to do about a failed token request. Decided by the OAuth `error` field and the HTTP
 * status only — Microsoft asks clients not to branch on AADSTS numbers or text.
 */
export type TokenFailureKind =
  /** The grant is dead (revoked, expired, consent withdrawn, MFA/CA needed): user must reconnect. */
  | 'reauth'
  /** Throttling, outage or network: retry later, honouring Retry-After. */
  | 'transient'
  /** Our app registration is wrong (bad secret, unauthorized client): operator problem. */
  | 'configuration'
  /** Anything else: retry with backoff, but give up eventually. */
  | 'unknown';

const REAUTH = new Set([
  'invalid_grant',
  'interaction_required',
  'consent_required',
  'login_required',
]);
const CONFIGURATION = new Set(['invalid_client', 'unauthorized_client', 'invalid_scope']);
const TRANSIENT = new Set(['temporarily_unavailable', 'server_error', 'network_error']);

export function classifyTokenFailure(status: number, error: string): TokenFailureKind {
  if (status === 429 || status >= 500 || status === 0 || TRANSIENT.has(error)) return 'transient';
  if (REAUTH.has(error)) return 'reauth';
  if (CONFIGURATION.has(error)) return 'configuration';
  return 'unknown';
}

const BASE_S = 30;
const CAP_S = 30 * 60;

/** Seconds to wait before the next attempt: Retry-After when given, else exponential backoff. */
export function retryDelaySec(attempts: number, retryAfterSec?: number): number {
  const backoff = Math.min(CAP_S, BASE_S * 2 ** Math.max(0, attempts - 1));
  return retryAfterSec !== undefined ? Math.max(retryAfterSec, 1) : backoff;
}

/** What a failed client-credentials (app-only) token request says about a tenant's consent. */
export type AppTokenFailureKind =
  /** The app has no service principal there: never consented, consent revoked, or removed. */
  | 'consent_missing'
  | 'transient'
  /** Our app registration is wrong (bad or expired secret): operator problem. */
  | 'configuration'
  | 'unknown';

/**
 * Client credentials for a tenant, by OAuth `error` and HTTP status only. `unauthorized_client`
 * (AADSTS700016, "application … was not found in the directory") is what a tenant without the
 * app's enterprise application answers, whether it never consented or withdrew consent.
 */
export function classifyAppTokenFailure(status: number, error: string): AppTokenFailureKind {
  if (status === 429 || status >= 500 || status === 0 || TRANSIENT.has(error)) return 'transient';
  if (error === 'unauthorized_client') return 'consent_missing';
  if (error === 'invalid_client') return 'configuration';
  return 'unknown';
}
