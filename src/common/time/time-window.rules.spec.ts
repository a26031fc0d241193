import { describe, expect, it } from '@jest/globals';
import { TestClock } from './clock.js';
import { resolveTimeZone } from './time-zone.js';
import {
  isOpen,
  localDayStart,
  nextOpening,
  parseHhMm,
  type WeeklyWindow,
  windowProblem,
} from './time-window.rules.js';

const weekdays = [1, 2, 3, 4, 5];
const ny: WeeklyWindow = {
  days: weekdays,
  start: '09:00',
  end: '17:00',
  timeZone: 'America/New_York',
};
const at = (iso: string) => new Date(iso);

describe('parseHhMm', () => {
  it.each([
    ['00:00', 0],
    ['09:30', 570],
    ['23:59', 1439],
  ])('%s -> %i', (value, minutes) => expect(parseHhMm(value)).toBe(minutes));

  it.each(['24:00', '9:00', '12:60', '1200', '', ' 09:00', '09:00:00', null, 930])(
    'rejects %p',
    (value) => expect(parseHhMm(value)).toBeNull(),
  );

  it('accepts 24:00 only as an end', () => expect(parseHhMm('24:00', true)).toBe(1440));
});

describe('windowProblem', () => {
  it('accepts a usable window, IANA or Windows zone', () => {
    expect(windowProblem(ny)).toBeNull();
    expect(windowProblem({ ...ny, timeZone: 'Pacific Standard Time', end: '24:00' })).toBeNull();
  });

  it.each([
    [{ days: [] }, 'window_days_invalid'],
    [{ days: [7] }, 'window_days_invalid'],
    [{ days: [1, 1] }, 'window_days_invalid'],
    [{ days: [1.5] }, 'window_days_invalid'],
    [{ start: '9am' }, 'window_time_invalid'],
    [{ end: '25:00' }, 'window_time_invalid'],
    [{ start: '24:00' }, 'window_time_invalid'],
    [{ start: '17:00', end: '09:00' }, 'window_empty'],
    [{ start: '09:00', end: '09:00' }, 'window_empty'],
    [{ timeZone: 'Mars/Olympus' }, 'unknown_time_zone'],
    [{ timeZone: '' }, 'unknown_time_zone'],
  ])('%p -> %s', (change, problem) => {
    expect(windowProblem({ ...ny, ...change } as WeeklyWindow)).toBe(problem);
  });
});

describe('resolveTimeZone', () => {
  it.each([
    ['Europe/Paris', 'Europe/Paris'],
    ['UTC', 'UTC'],
    ['Pacific Standard Time', 'America/Los_Angeles'],
    ['W. Europe Standard Time', 'Europe/Berlin'],
    ['Tokyo Standard Time', 'Asia/Tokyo'],
  ])('%s -> %s', (name, zone) => expect(resolveTimeZone(name)).toBe(zone));

  it.each(['Nowhere Standard Time', '', 'x'.repeat(500), 'Europe/Atlantis'])(
    'unknown %p -> null',
    (name) => expect(resolveTimeZone(name)).toBeNull(),
  );
});

describe('isOpen', () => {
  it('is open from start (inclusive) to end (exclusive), local time, listed days only', () => {
    // Monday 2026-11-30, New York is UTC-5.
    expect(isOpen(ny, at('2026-11-30T13:59:59Z'))).toBe(false);
    expect(isOpen(ny, at('2026-11-30T14:00:00Z'))).toBe(true);
    expect(isOpen(ny, at('2026-11-30T21:59:59Z'))).toBe(true);
    expect(isOpen(ny, at('2026-11-30T22:00:00Z'))).toBe(false);
    // Saturday
    expect(isOpen(ny, at('2026-11-28T15:00:00Z'))).toBe(false);
  });

  it('uses the local weekday, not the UTC one', () => {
    // Tuesday 01:00 UTC is Monday 20:00 in New York; Monday 20:00 Tokyo is Monday 11:00 UTC.
    const lateMonday = { ...ny, days: [1], start: '19:00', end: '21:00' };
    expect(isOpen(lateMonday, at('2026-12-01T01:00:00Z'))).toBe(true);
    const tokyo = { days: [1], start: '09:00', end: '10:00', timeZone: 'Tokyo Standard Time' };
    expect(isOpen(tokyo, at('2026-11-30T00:30:00Z'))).toBe(true);
    expect(isOpen(tokyo, at('2026-11-29T00:30:00Z'))).toBe(false);
  });
});

describe('nextOpening', () => {
  it('is the instant itself when open', () => {
    expect(nextOpening(ny, at('2026-11-30T15:00:00Z'))).toEqual(at('2026-11-30T15:00:00Z'));
  });

  it('after Friday close, opens Monday 09:00 local', () => {
    expect(nextOpening(ny, at('2026-12-04T22:00:00Z'))).toEqual(at('2026-12-07T14:00:00Z'));
  });

  it('before the start of a listed day, opens the same day', () => {
    expect(nextOpening(ny, at('2026-11-30T05:00:00Z'))).toEqual(at('2026-11-30T14:00:00Z'));
  });

  it('follows DST: a Monday after the spring change opens at 13:00 UTC', () => {
    expect(nextOpening(ny, at('2026-03-07T12:00:00Z'))).toEqual(at('2026-03-09T13:00:00Z'));
  });

  it('a start inside the spring-forward gap opens when the gap ends', () => {
    // 2026-03-08 New York: 02:00 EST -> 03:00 EDT at 07:00Z; 02:30 does not exist.
    const sunday = { days: [0], start: '02:30', end: '05:00', timeZone: 'America/New_York' };
    expect(nextOpening(sunday, at('2026-03-08T05:00:00Z'))).toEqual(at('2026-03-08T07:00:00Z'));
  });

  it('a start in the repeated fall-back hour opens at its first occurrence', () => {
    // 2026-10-25 Berlin: 03:00 CEST -> 02:00 CET at 01:00Z; 02:30 happens at 00:30Z and 01:30Z.
    const sunday = { days: [0], start: '02:30', end: '04:00', timeZone: 'Europe/Berlin' };
    expect(nextOpening(sunday, at('2026-10-24T12:00:00Z'))).toEqual(at('2026-10-25T00:30:00Z'));
  });

  it('works with a Windows zone name', () => {
    const pacific = { ...ny, timeZone: 'Pacific Standard Time' };
    expect(nextOpening(pacific, at('2026-11-30T16:00:00Z'))).toEqual(at('2026-11-30T17:00:00Z'));
  });

  it('is null when no day is listed', () => {
    expect(nextOpening({ ...ny, days: [] }, at('2026-11-30T16:00:00Z'))).toBeNull();
  });
});

describe('localDayStart', () => {
  it.each([
    ['2026-11-30T12:00:00Z', 'UTC', '2026-11-30T00:00:00Z'],
    ['2026-11-30T03:00:00Z', 'America/New_York', '2026-11-29T05:00:00Z'],
    ['2026-11-30T03:00:00Z', 'Asia/Tokyo', '2026-11-29T15:00:00Z'],
    ['2026-03-08T12:00:00Z', 'America/New_York', '2026-03-08T05:00:00Z'],
    ['2026-03-09T12:00:00Z', 'America/New_York', '2026-03-09T04:00:00Z'],
    ['2026-11-01T12:00:00Z', 'America/New_York', '2026-11-01T04:00:00Z'],
    ['2026-11-02T12:00:00Z', 'America/New_York', '2026-11-02T05:00:00Z'],
    ['2026-06-15T20:00:00Z', 'Asia/Kolkata', '2026-06-15T18:30:00Z'],
    ['2026-11-30T12:00:00Z', 'Eastern Standard Time', '2026-11-30T05:00:00Z'],
  ])('%s in %s -> %s', (instant, zone, midnight) => {
    expect(localDayStart(at(instant), zone)).toEqual(at(midnight));
  });

  it('when midnight does not exist (Santiago springs forward at 00:00) is the first instant', () => {
    // 2026-09-06 Chile: 00:00 -04 -> 01:00 -03 at 04:00Z.
    expect(localDayStart(at('2026-09-06T12:00:00Z'), 'America/Santiago')).toEqual(
      at('2026-09-06T04:00:00Z'),
    );
  });

  it('holds for many instants and zones: start <= at, less than 25 h before, same local date', () => {
    const zones = ['America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kathmandu'];
    const clock = new TestClock('2026-01-01T00:00:00Z');
    for (let i = 0; i < 400; i += 1) {
      const instant = clock.advance(7 * 3_600_000 + 13 * 60_000);
      for (const zone of zones) {
        const start = localDayStart(instant, zone);
        expect(start.getTime()).toBeLessThanOrEqual(instant.getTime());
        expect(instant.getTime() - start.getTime()).toBeLessThan(25 * 3_600_000);
        const date = (d: Date) => d.toLocaleDateString('en-CA', { timeZone: zone });
        expect(date(start)).toBe(date(instant));
        expect(date(new Date(start.getTime() - 1))).not.toBe(date(instant));
      }
    }
  });
});

describe('TestClock', () => {
  it('moves only when set or advanced', () => {
    const clock = new TestClock('2026-11-30T00:00:00Z');
    expect(clock.now()).toEqual(at('2026-11-30T00:00:00Z'));
    clock.advance(90_000);
    expect(clock.now()).toEqual(at('2026-11-30T00:01:30Z'));
    clock.set('2027-01-01T00:00:00Z');
    expect(clock.now()).toEqual(at('2027-01-01T00:00:00Z'));
  });
});
