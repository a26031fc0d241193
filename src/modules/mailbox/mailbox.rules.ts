import { DELEGATED_SCOPES } from '../../common/microsoft/scopes.js';

/** Refresh at most this long ahead of expiry; legacy rows (no schedule) are due within it. */
export const REFRESH_WINDOW_MS = 10 * 60 * 1000;
/** A token with less life than this is refreshed before use (less for short-lived tokens). */
export const MIN_TOKEN_LIFE_MS = 5 * 60 * 1000;
/** Status reason of an active mailbox whose token refreshes fail for now (not a dead grant). */
export const TOKEN_REFRESH_FAILING = 'token_refresh_failing';

// Shares of a token's lifetime, so short-lived tokens (tenant policies allow 10 minutes) are
// refreshed on a schedule instead of being due again right after each refresh.
const REFRESH_AHEAD_SHARE = 0.4;
const MIN_LIFE_SHARE = 0.25;
// While refreshes are failing, a stale token is still handed out if it lives this much longer.
const USABLE_LIFE_MS = 60_000;
const USABLE_LIFE_SHARE = 0.1;

export interface TokenTimes {
  issuedAt: Date | null;
  expiresAt: Date | null;
}

export interface CredentialState extends TokenTimes {
  hasAccessToken: boolean;
  hasRefreshToken: boolean;
  refreshAttempts: number;
  nextRefreshAt: Date | null;
}

export type TokenAction =
  | { action: 'use' }
  | { action: 'refresh' }
  | { action: 'wait'; retryAt: Date }
  | { action: 'reauth' };

/** Lifetime of the token, when both ends are known. */
export function lifetimeMs({ issuedAt, expiresAt }: TokenTimes): number | null {
  if (!issuedAt || !expiresAt) return null;
  return Math.max(0, expiresAt.getTime() - issuedAt.getTime());
}

/** How long before expiry the scheduled refresh runs. */
export function refreshAheadMs(lifetime: number): number {
  return Math.min(REFRESH_WINDOW_MS, lifetime * REFRESH_AHEAD_SHARE);
}

/** When a token issued at `issuedAt`, expiring at `expiresAt`, is next refreshed. */
export function scheduledRefreshAt(issuedAt: Date, expiresAt: Date): Date {
  const lifetime = lifetimeMs({ issuedAt, expiresAt }) ?? 0;
  return new Date(expiresAt.getTime() - refreshAheadMs(lifetime));
}

/** Fresh: enough life left to use without refreshing first. */
export function isFresh(token: TokenTimes, now: Date): boolean {
  const lifetime = lifetimeMs(token);
  const minLife =
    lifetime === null ? MIN_TOKEN_LIFE_MS : Math.min(MIN_TOKEN_LIFE_MS, lifetime * MIN_LIFE_SHARE);
  return remainingMs(token, now) > minLife;
}

/** Usable: stale, but still worth handing out while a refresh cannot be had. */
export function isUsable(token: TokenTimes, now: Date): boolean {
  const lifetime = lifetimeMs(token);
  const minLife =
    lifetime === null ? USABLE_LIFE_MS : Math.min(USABLE_LIFE_MS, lifetime * USABLE_LIFE_SHARE);
  return remainingMs(token, now) > minLife;
}

/** A failed refresh set a retry time that has not come yet (honour Retry-After / backoff). */
export function isBackingOff(
  c: CredentialState,
  now: Date,
): c is CredentialState & {
  nextRefreshAt: Date;
} {
  return c.refreshAttempts > 0 && c.nextRefreshAt !== null && c.nextRefreshAt > now;
}

/** What a Graph caller asking for a token gets: the stored token, a refresh, or a wait. */
export function onDemandAction(c: CredentialState, now: Date): TokenAction {
  if (c.hasAccessToken && isFresh(c, now)) return { action: 'use' };
  return refreshOrFallback(c, now);
}

/**
 * After Graph refused a token we thought valid: if the stored token is another one (a caller
 * that got the same 401 refreshed first), it is used; else one refresh.
 */
export function afterRejectionAction(
  c: CredentialState,
  storedIsRefused: boolean,
  now: Date,
): TokenAction {
  if (c.hasAccessToken && !storedIsRefused) return { action: 'use' };
  if (isBackingOff(c, now)) return { action: 'wait', retryAt: c.nextRefreshAt };
  return c.hasRefreshToken ? { action: 'refresh' } : { action: 'reauth' };
}

function refreshOrFallback(c: CredentialState, now: Date): TokenAction {
  const usable = c.hasAccessToken && isUsable(c, now);
  if (!c.hasRefreshToken) return usable ? { action: 'use' } : { action: 'reauth' };
  if (!isBackingOff(c, now)) return { action: 'refresh' };
  return usable ? { action: 'use' } : { action: 'wait', retryAt: c.nextRefreshAt };
}

function remainingMs({ expiresAt }: TokenTimes, now: Date): number {
  return expiresAt === null ? -Infinity : expiresAt.getTime() - now.getTime();
}

/** Scopes to ask for on refresh: what was granted, else what we requested at sign-in. */
export function refreshScopes(granted: string): string[] {
  const scopes = granted.split(/\s+/).filter(Boolean);
  const wanted = scopes.length > 0 ? scopes : DELEGATED_SCOPES;
  return wanted.includes('offline_access') ? wanted : [...wanted, 'offline_access'];
}
