import { describe, expect, it } from '@jest/globals';
import { type PaceSettings, RECOMMENDED_PACE } from '../../common/pace/pace-settings.js';
import {
  dailyAllowance,
  earliestWait,
  gapUntilAfter,
  type IdentityPaceState,
  nextLocalDay,
  paceDecision,
  paceZone,
  rampDay,
} from './pace.rules.js';

const at = (iso: string) => new Date(iso);
const fresh: IdentityPaceState = { sentToday: 0, gapUntil: null, firstSendAt: null };
const capOnly: PaceSettings = { dailyCap: 30, gap: null, window: null, ramp: null };
// Monday 2026-11-30 10:00 UTC
const monday = at('2026-11-30T10:00:00Z');

describe('paceZone', () => {
  it("prefers the window's zone, then the mailbox's, then UTC", () => {
    const window = { days: [1], start: '09:00', end: '17:00', timeZone: 'Asia/Tokyo' };
    expect(paceZone({ ...capOnly, window }, 'Europe/Paris')).toBe('Asia/Tokyo');
    expect(paceZone({ ...capOnly, window: { ...window, timeZone: null } }, 'Europe/Paris')).toBe(
      'Europe/Paris',
    );
    expect(paceZone(capOnly, null)).toBe('UTC');
  });
});

describe('rampDay', () => {
  it('counts local calendar days from the first send', () => {
    expect(rampDay(null, monday, 'UTC')).toBe(1);
    expect(rampDay(at('2026-11-30T00:01:00Z'), monday, 'UTC')).toBe(1);
    expect(rampDay(at('2026-11-29T23:59:00Z'), monday, 'UTC')).toBe(2);
    // 23:59 UTC Sunday is already Monday in Tokyo: same local day.
    expect(rampDay(at('2026-11-29T23:59:00Z'), monday, 'Asia/Tokyo')).toBe(1);
    expect(rampDay(at('2026-11-20T12:00:00Z'), monday, 'UTC')).toBe(11);
  });
});

describe('dailyAllowance', () => {
  const ramped: PaceSettings = { ...capOnly, ramp: { start: 5, step: 5 } };
  it.each([
    [null, 5, 'ramp_limit_reached'],
    ['2026-11-29T12:00:00Z', 10, 'ramp_limit_reached'],
    ['2026-11-25T12:00:00Z', 30, 'daily_cap_reached'],
    ['2026-01-01T12:00:00Z', 30, 'daily_cap_reached'],
  ])('first send %s -> %i (%s)', (first, allowed, by) => {
    const state = { ...fresh, firstSendAt: first ? at(first) : null };
    expect(dailyAllowance(ramped, state, monday, 'UTC')).toEqual({ allowed, by });
  });

  it('ramp without a cap grows without end; neither is no limit', () => {
    const rampOnly = { ...ramped, dailyCap: null };
    const old = { ...fresh, firstSendAt: at('2026-11-01T12:00:00Z') };
    expect(dailyAllowance(rampOnly, old, monday, 'UTC')?.allowed).toBe(150);
    expect(dailyAllowance({ ...rampOnly, ramp: null }, old, monday, 'UTC')).toBeNull();
  });
});

describe('paceDecision', () => {
  it('no pace: always go', () => {
    expect(paceDecision(null, { ...fresh, sentToday: 9999 }, monday, 'UTC')).toEqual({ go: true });
  });

  it('under the cap, no gap pending, window open: go', () => {
    expect(
      paceDecision(
        RECOMMENDED_PACE,
        { ...fresh, firstSendAt: at('2026-11-01T00:00:00Z'), sentToday: 29 },
        monday,
        'UTC',
      ),
    ).toEqual({ go: true });
  });

  it('cap reached: waits for the next local day (and its window)', () => {
    const state = { ...fresh, sentToday: 30 };
    expect(paceDecision(capOnly, state, monday, 'UTC')).toEqual({
      go: false,
      reason: 'daily_cap_reached',
      until: at('2026-12-01T00:00:00Z'),
    });
    expect(paceDecision(capOnly, state, monday, 'America/New_York')).toEqual({
      go: false,
      reason: 'daily_cap_reached',
      until: at('2026-12-01T05:00:00Z'),
    });
    const windowed = {
      ...capOnly,
      window: { days: [1, 2], start: '09:00', end: '17:00', timeZone: null },
    };
    expect(paceDecision(windowed, state, monday, 'UTC')).toMatchObject({
      reason: 'daily_cap_reached',
      until: at('2026-12-01T09:00:00Z'),
    });
  });

  it('ramp below the cap: ramp_limit_reached', () => {
    const ramped = { ...capOnly, ramp: { start: 5, step: 5 } };
    expect(paceDecision(ramped, { ...fresh, sentToday: 5 }, monday, 'UTC')).toMatchObject({
      reason: 'ramp_limit_reached',
    });
  });

  it('gap pending: waits until it ends', () => {
    const gapUntil = at('2026-11-30T10:01:10Z');
    expect(
      paceDecision(
        { ...capOnly, gap: { minSeconds: 60, maxSeconds: 90 } },
        { ...fresh, gapUntil },
        monday,
        'UTC',
      ),
    ).toEqual({
      go: false,
      reason: 'minimum_gap',
      until: gapUntil,
    });
    // A gap that already ended holds nothing back.
    expect(
      paceDecision(capOnly, { ...fresh, gapUntil: at('2026-11-30T09:00:00Z') }, monday, 'UTC'),
    ).toEqual({ go: true });
  });

  it('window closed: waiting_for_window until it opens; a gap ending later wins', () => {
    const window = { days: [1, 2, 3, 4, 5], start: '11:00', end: '17:00', timeZone: null };
    const paced = { ...capOnly, window };
    expect(paceDecision(paced, fresh, monday, 'UTC')).toEqual({
      go: false,
      reason: 'waiting_for_window',
      until: at('2026-11-30T11:00:00Z'),
    });
    const gapUntil = at('2026-11-30T11:00:30Z');
    expect(paceDecision(paced, { ...fresh, gapUntil }, monday, 'UTC')).toMatchObject({
      reason: 'waiting_for_window',
      until: gapUntil,
    });
    // Friday after hours: Monday.
    expect(paceDecision(paced, fresh, at('2026-12-04T18:00:00Z'), 'UTC')).toMatchObject({
      until: at('2026-12-07T11:00:00Z'),
    });
  });
});

describe('gapUntilAfter', () => {
  const gap = { ...capOnly, gap: { minSeconds: 60, maxSeconds: 90 } };
  it('draws inside [min, max]', () => {
    expect(gapUntilAfter(gap, monday, () => 0)).toEqual(at('2026-11-30T10:01:00Z'));
    expect(gapUntilAfter(gap, monday, () => 0.999999)).toEqual(at('2026-11-30T10:01:30Z'));
    for (let i = 0; i < 200; i += 1) {
      const ms = (gapUntilAfter(gap, monday) as Date).getTime() - monday.getTime();
      expect(ms).toBeGreaterThanOrEqual(60_000);
      expect(ms).toBeLessThanOrEqual(90_000);
    }
  });

  it('no gap setting: null', () => {
    expect(gapUntilAfter(capOnly, monday)).toBeNull();
    expect(gapUntilAfter(null, monday)).toBeNull();
  });
});

describe('nextLocalDay and earliestWait', () => {
  it('next local midnight across a DST change', () => {
    expect(nextLocalDay(at('2026-11-01T12:00:00Z'), 'America/New_York')).toEqual(
      at('2026-11-02T05:00:00Z'),
    );
  });

  it('earliest wait wins', () => {
    const a = { reason: 'minimum_gap' as const, until: at('2026-11-30T10:02:00Z') };
    const b = { reason: 'daily_cap_reached' as const, until: at('2026-11-30T10:01:00Z') };
    expect(earliestWait([a, b])).toBe(b);
    expect(earliestWait([])).toBeNull();
  });
});
