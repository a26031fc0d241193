import { classifyAppTokenFailure } from '../../common/microsoft/token-error.rules.js';

/** A failed step of an organization sync, as Microsoft answered it. */
export interface SyncFailure {
  /** `token`: the client-credentials request; `graph`: a directory read. */
  source: 'token' | 'graph';
  status: number;
  /** OAuth `error` for the token endpoint, Graph error code for Graph. */
  code: string;
  retryAfterSec?: number;
}

export type SyncVerdict =
  | { kind: 'consent_lost'; reason: 'consent_revoked'; error: string }
  | { kind: 'retry'; error: string };

/** Right after a consent, Entra may not have created the app's service principal everywhere. */
export const CONSENT_SETTLE_MS = 10 * 60_000;

/**
 * Consent is gone when the token endpoint says the app has no service principal in the tenant
 * (`unauthorized_client`, AADSTS700016: consent revoked or enterprise app removed) or Graph
 * refuses a fresh app token with 403 `Authorization_RequestDenied`. Within CONSENT_SETTLE_MS of
 * a consent that is still replication, not a revocation. Everything else is retried.
 */
export function judgeSyncFailure(failure: SyncFailure, grantedAt: Date, now: Date): SyncVerdict {
  const error =
    failure.source === 'token'
      ? `token_${failure.code}`
      : `graph_${failure.status || 'network'}_${failure.code}`;
  const denied =
    failure.source === 'token'
      ? classifyAppTokenFailure(failure.status, failure.code) === 'consent_missing'
      : failure.status === 403 && failure.code === 'Authorization_RequestDenied';
  if (!denied) return { kind: 'retry', error };
  if (now.getTime() - grantedAt.getTime() < CONSENT_SETTLE_MS) {
    return { kind: 'retry', error: 'consent_not_effective_yet' };
  }
  return { kind: 'consent_lost', reason: 'consent_revoked', error };
}

const RETRY_BASE_MS = 60_000;
const RETRY_CAP_MS = 60 * 60_000;

/** A failed sync is tried again: Retry-After when given, else 1 min doubling up to 1 h. */
export function syncRetryDelayMs(failures: number, retryAfterSec?: number): number {
  if (retryAfterSec !== undefined) return Math.max(1, retryAfterSec) * 1000;
  return Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** Math.max(0, failures - 1));
}

/** The next regular sync: ORG_SYNC_HOURS ±10 %, so organizations spread out. */
export function nextRegularSync(
  now: Date,
  hours: number,
  random: () => number = Math.random,
): Date {
  return new Date(now.getTime() + hours * 3600_000 * (0.9 + 0.2 * random()));
}

/** What an organization shows after a sync that failed for now: consent state is unchanged. */
export function statusAfterFailure(before: {
  status: 'active' | 'needs_consent' | 'syncing';
  lastSyncAt: Date | null;
}): 'active' | 'needs_consent' | 'syncing' {
  if (before.status === 'needs_consent') return 'needs_consent';
  return before.lastSyncAt ? 'active' : 'syncing';
}
