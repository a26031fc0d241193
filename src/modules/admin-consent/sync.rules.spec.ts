import { describe, expect, it } from '@jest/globals';
import {
  CONSENT_SETTLE_MS,
  judgeSyncFailure,
  nextRegularSync,
  statusAfterFailure,
  syncRetryDelayMs,
} from './sync.rules.js';

const now = new Date('2026-06-01T12:00:00Z');
const longAgo = new Date(now.getTime() - 3600_000);
const justNow = new Date(now.getTime() - 60_000);

describe('judgeSyncFailure', () => {
  it('unauthorized_client from the token endpoint or 403 Authorization_RequestDenied from Graph → consent lost', () => {
    expect(
      judgeSyncFailure({ source: 'token', status: 400, code: 'unauthorized_client' }, longAgo, now),
    ).toEqual({
      kind: 'consent_lost',
      reason: 'consent_revoked',
      error: 'token_unauthorized_client',
    });
    expect(
      judgeSyncFailure(
        { source: 'graph', status: 403, code: 'Authorization_RequestDenied' },
        longAgo,
        now,
      ),
    ).toMatchObject({ kind: 'consent_lost', error: 'graph_403_Authorization_RequestDenied' });
  });

  it('within the settle time after a consent, the same refusal is retried', () => {
    const early = new Date(now.getTime() - CONSENT_SETTLE_MS + 1000);
    expect(
      judgeSyncFailure({ source: 'token', status: 400, code: 'unauthorized_client' }, early, now),
    ).toEqual({
      kind: 'retry',
      error: 'consent_not_effective_yet',
    });
    expect(
      judgeSyncFailure({ source: 'token', status: 400, code: 'unauthorized_client' }, justNow, now)
        .kind,
    ).toBe('retry');
  });

  it('outages, throttling, bad client secret, other Graph errors → retry with the error named', () => {
    expect(
      judgeSyncFailure(
        { source: 'token', status: 503, code: 'temporarily_unavailable' },
        longAgo,
        now,
      ),
    ).toEqual({
      kind: 'retry',
      error: 'token_temporarily_unavailable',
    });
    expect(
      judgeSyncFailure({ source: 'token', status: 401, code: 'invalid_client' }, longAgo, now).kind,
    ).toBe('retry');
    expect(
      judgeSyncFailure({ source: 'graph', status: 0, code: 'network_error' }, longAgo, now),
    ).toEqual({
      kind: 'retry',
      error: 'graph_network_network_error',
    });
    expect(
      judgeSyncFailure({ source: 'graph', status: 403, code: 'ErrorAccessDenied' }, longAgo, now)
        .kind,
    ).toBe('retry');
  });
});

describe('timing and status', () => {
  it('retry: Retry-After when given, else 1 min doubling up to 1 h', () => {
    expect(syncRetryDelayMs(1)).toBe(60_000);
    expect(syncRetryDelayMs(3)).toBe(240_000);
    expect(syncRetryDelayMs(20)).toBe(3600_000);
    expect(syncRetryDelayMs(5, 120)).toBe(120_000);
    expect(syncRetryDelayMs(5, 0)).toBe(1000);
  });

  it('regular syncs every ORG_SYNC_HOURS ±10 %', () => {
    const at = (r: number) =>
      (nextRegularSync(now, 6, () => r).getTime() - now.getTime()) / 3600_000;
    expect(at(0)).toBeCloseTo(5.4);
    expect(at(0.5)).toBeCloseTo(6);
    expect(at(1)).toBeCloseTo(6.6);
  });

  it('a failed sync leaves the consent state: needs_consent stays, synced once → active, never → syncing', () => {
    expect(statusAfterFailure({ status: 'needs_consent', lastSyncAt: now })).toBe('needs_consent');
    expect(statusAfterFailure({ status: 'syncing', lastSyncAt: now })).toBe('active');
    expect(statusAfterFailure({ status: 'syncing', lastSyncAt: null })).toBe('syncing');
  });
});
