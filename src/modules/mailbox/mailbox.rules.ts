import { DELEGATED_SCOPES } from '../../common/microsoft/scopes.js';

/** Refresh ahead of expiry: the cron takes tokens expiring within this window. */
export const REFRESH_WINDOW_MS = 10 * 60 * 1000;
/** A token with less life than this is refreshed before use. */
export const MIN_TOKEN_LIFE_MS = 5 * 60 * 1000;

export function isFresh(expiresAt: Date | null, now: Date, minLifeMs = MIN_TOKEN_LIFE_MS): boolean {
  return expiresAt !== null && expiresAt.getTime() - now.getTime() > minLifeMs;
}

/** Scopes to ask for on refresh: what was granted, else what we requested at sign-in. */
export function refreshScopes(granted: string): string[] {
  const scopes = granted.split(/\s+/).filter(Boolean);
  const wanted = scopes.length > 0 ? scopes : DELEGATED_SCOPES;
  return wanted.includes('offline_access') ? wanted : [...wanted, 'offline_access'];
}
