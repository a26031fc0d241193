import { describe, expect, it } from '@jest/globals';
import {
  effectivePace,
  parsePaceOverride,
  parseProfilePace,
  RECOMMENDED_PACE,
  storedPace,
} from './pace-settings.js';

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

describe('parseProfilePace', () => {
  it('null is off; {} is the recommended pace; a null key turns that limit off', () => {
    expect(parseProfilePace(null)).toBeNull();
    expect(parseProfilePace({})).toEqual(RECOMMENDED_PACE);
    expect(parseProfilePace({ window: null, dailyCap: 12 })).toEqual({
      ...RECOMMENDED_PACE,
      window: null,
      dailyCap: 12,
    });
  });

  it('maps a Windows zone to IANA and sorts days', () => {
    const pace = parseProfilePace({
      window: { days: [5, 1], start: '09:00', end: '17:30', timeZone: 'Pacific Standard Time' },
    });
    expect(pace?.window).toEqual({
      days: [1, 5],
      start: '09:00',
      end: '17:30',
      timeZone: 'America/Los_Angeles',
    });
  });

  it.each([
    ['x', 'pace_invalid'],
    [[], 'pace_invalid'],
    [{ cap: 3 }, 'pace_invalid'],
    [{ dailyCap: 0 }, 'pace_daily_cap_invalid'],
    [{ dailyCap: 10_001 }, 'pace_daily_cap_invalid'],
    [{ dailyCap: 2.5 }, 'pace_daily_cap_invalid'],
    [{ dailyCap: '30' }, 'pace_daily_cap_invalid'],
    [{ gap: { minSeconds: 90, maxSeconds: 60 } }, 'pace_gap_invalid'],
    [{ gap: { minSeconds: -1, maxSeconds: 60 } }, 'pace_gap_invalid'],
    [{ gap: { minSeconds: 1, maxSeconds: 60, x: 1 } }, 'pace_gap_invalid'],
    [{ gap: 60 }, 'pace_gap_invalid'],
    [{ ramp: { start: 0, step: 5 } }, 'pace_ramp_invalid'],
    [{ ramp: { start: 5 } }, 'pace_ramp_invalid'],
    [{ window: 'always' }, 'pace_window_time_invalid'],
    [{ window: { days: [8], start: '09:00', end: '10:00' } }, 'pace_window_days_invalid'],
    [{ window: { days: 'mon', start: '09:00', end: '10:00' } }, 'pace_window_days_invalid'],
    [{ window: { days: [1], start: '9', end: '10:00' } }, 'pace_window_time_invalid'],
    [{ window: { days: [1], start: '10:00', end: '09:00' } }, 'pace_window_empty'],
    [
      { window: { days: [1], start: '09:00', end: '10:00', timeZone: 'Mars/Base' } },
      'pace_time_zone_unknown',
    ],
    [
      { window: { days: [1], start: '09:00', end: '10:00', timeZone: 5 } },
      'pace_time_zone_unknown',
    ],
  ])('%p -> %s', (input, code) => {
    expect(codeOf(() => parseProfilePace(input))).toBe(code);
  });
});

describe('parsePaceOverride and effectivePace', () => {
  it('keeps only what is set; null or {} inherits everything', () => {
    expect(parsePaceOverride(null)).toBeNull();
    expect(parsePaceOverride({})).toBeNull();
    expect(parsePaceOverride({ dailyCap: 10, gap: null })).toEqual({ dailyCap: 10 });
    expect(codeOf(() => parsePaceOverride({ dailyCap: -1 }))).toBe('pace_daily_cap_invalid');
  });

  it('the override wins field by field', () => {
    expect(effectivePace(RECOMMENDED_PACE, { dailyCap: 10 })).toEqual({
      ...RECOMMENDED_PACE,
      dailyCap: 10,
    });
    expect(effectivePace(null, { ramp: { start: 2, step: 1 } })).toEqual({
      dailyCap: null,
      gap: null,
      window: null,
      ramp: { start: 2, step: 1 },
    });
    expect(effectivePace(null, null)).toBeNull();
  });

  it('stored garbage reads as no pace rather than crashing the dispatcher', () => {
    expect(storedPace({ dailyCap: 'x' })).toBeNull();
    expect(storedPace(RECOMMENDED_PACE)).toEqual(RECOMMENDED_PACE);
  });
});
