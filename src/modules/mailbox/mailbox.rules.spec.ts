import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  afterRejectionAction,
  type CredentialState,
  isFresh,
  isUsable,
  onDemandAction,
  refreshAheadMs,
  scheduledRefreshAt,
} from './mailbox.rules.js';

const MIN = 60_000;
const T0 = new Date('2026-01-01T12:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

/** A credential whose token was issued at T0 and lives `lifetimeMs`. */
function credential(lifetimeMs: number, over: Partial<CredentialState> = {}): CredentialState {
  return {
    issuedAt: T0,
    expiresAt: at(lifetimeMs),
    hasAccessToken: true,
    hasRefreshToken: true,
    refreshAttempts: 0,
    nextRefreshAt: scheduledRefreshAt(T0, at(lifetimeMs)),
    ...over,
  };
}

describe('issue 10.5 refresh schedule scales with the token lifetime', () => {
  it.each([
    ['60-minute token: 10 minutes ahead', 60 * MIN, 50 * MIN],
    ['90-minute token: 10 minutes ahead', 90 * MIN, 80 * MIN],
    ['10-minute token (shortest tenant policy): 4 minutes ahead', 10 * MIN, 6 * MIN],
    ['5-minute token: 2 minutes ahead', 5 * MIN, 3 * MIN],
    ['30-second token: 12 seconds ahead', 30_000, 18_000],
  ])('%s', (_name, lifetime, refreshAfter) => {
    expect(scheduledRefreshAt(T0, at(lifetime))).toEqual(at(refreshAfter));
  });

  it('the scheduled refresh always comes after issue and before expiry', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1_000, max: 24 * 60 * MIN }), (lifetime) => {
        const next = scheduledRefreshAt(T0, at(lifetime)).getTime();
        expect(next).toBeGreaterThan(T0.getTime());
        expect(next).toBeLessThan(T0.getTime() + lifetime);
        expect(refreshAheadMs(lifetime)).toBeLessThanOrEqual(10 * MIN);
      }),
    );
  });

  it('fresh while more than min(5 min, 25 % of the lifetime) is left', () => {
    const hour = credential(60 * MIN);
    expect(isFresh(hour, at(54 * MIN))).toBe(true);
    expect(isFresh(hour, at(55 * MIN))).toBe(false);
    const five = credential(5 * MIN);
    expect(isFresh(five, at(3 * MIN))).toBe(true);
    expect(isFresh(five, at(3.75 * MIN))).toBe(false);
  });

  it('without an issue time (rows from before) fresh means five minutes left', () => {
    const legacy = credential(60 * MIN, { issuedAt: null });
    expect(isFresh(legacy, at(54 * MIN))).toBe(true);
    expect(isFresh({ issuedAt: null, expiresAt: at(4 * MIN) }, T0)).toBe(false);
    expect(isFresh({ issuedAt: null, expiresAt: null }, T0)).toBe(false);
  });

  it('a short-lived token is fresh at its scheduled refresh: the sweep refreshes it, callers do not', () => {
    fc.assert(
      fc.property(fc.integer({ min: 10_000, max: 24 * 60 * MIN }), (lifetime) => {
        const c = credential(lifetime);
        expect(onDemandAction(c, c.nextRefreshAt as Date)).toEqual({ action: 'use' });
      }),
    );
  });

  it('on demand: a fresh token is used, a stale one refreshed', () => {
    const c = credential(5 * MIN);
    expect(onDemandAction(c, at(MIN))).toEqual({ action: 'use' });
    expect(onDemandAction(c, at(4 * MIN))).toEqual({ action: 'refresh' });
  });
});

describe('issue 10.3 token refresh failing', () => {
  const failing = (lifetime: number, retryAt: Date) =>
    credential(lifetime, { refreshAttempts: 2, nextRefreshAt: retryAt });

  it('during a backoff a stale token still valid is used, an expired one waits for the retry', () => {
    const retryAt = at(62 * MIN);
    expect(onDemandAction(failing(60 * MIN, retryAt), at(58 * MIN))).toEqual({ action: 'use' });
    expect(onDemandAction(failing(60 * MIN, retryAt), at(61 * MIN))).toEqual({
      action: 'wait',
      retryAt,
    });
  });

  it('once the retry time has come, a stale token is refreshed again', () => {
    expect(onDemandAction(failing(60 * MIN, at(58 * MIN)), at(59 * MIN))).toEqual({
      action: 'refresh',
    });
  });

  it('usable while more than min(1 min, 10 % of the lifetime) is left', () => {
    expect(isUsable(credential(60 * MIN), at(58.9 * MIN))).toBe(true);
    expect(isUsable(credential(60 * MIN), at(59 * MIN))).toBe(false);
    expect(isUsable(credential(5 * MIN), at(4.4 * MIN))).toBe(true);
    expect(isUsable(credential(5 * MIN), at(4.5 * MIN))).toBe(false);
  });

  it('without a refresh token a stale token cannot be renewed: re-authentication', () => {
    const c = credential(60 * MIN, { hasRefreshToken: false });
    expect(onDemandAction(c, at(58 * MIN))).toEqual({ action: 'use' });
    expect(onDemandAction(c, at(61 * MIN))).toEqual({ action: 'reauth' });
  });

  it('after a 401: refresh, unless another token is stored by now, or a backoff holds', () => {
    const c = credential(60 * MIN);
    expect(afterRejectionAction(c, true, at(MIN))).toEqual({ action: 'refresh' });
    expect(afterRejectionAction(c, true, at(5_000))).toEqual({ action: 'refresh' });
    expect(afterRejectionAction(c, false, at(MIN))).toEqual({ action: 'use' });
    const retryAt = at(3 * MIN);
    expect(afterRejectionAction(failing(60 * MIN, retryAt), true, at(MIN))).toEqual({
      action: 'wait',
      retryAt,
    });
    const noRefresh = credential(60 * MIN, { hasRefreshToken: false });
    expect(afterRejectionAction(noRefresh, true, at(MIN))).toEqual({ action: 'reauth' });
  });
});
