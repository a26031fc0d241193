import { resolveTimeZone } from './time-zone.js';

/**
 * A weekly window in a time zone: open on `days` (0 = Sunday … 6 = Saturday, local) from
 * `start` (inclusive) to `end` (exclusive), both local 'HH:MM' ('24:00' allowed as end).
 * `timeZone` is an IANA name or a Windows name as Graph returns it.
 */
export interface WeeklyWindow {
  days: readonly number[];
  start: string;
  end: string;
  timeZone: string;
}

export type WindowProblem =
  'window_days_invalid' | 'window_time_invalid' | 'window_empty' | 'unknown_time_zone';

const MINUTE = 60_000;
const DAY = 86_400_000;
const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes after local midnight for 'HH:MM' ('24:00' only when `allowEndOfDay`), or null. */
export function parseHhMm(value: unknown, allowEndOfDay = false): number | null {
  if (typeof value !== 'string') return null;
  if (allowEndOfDay && value === '24:00') return 1440;
  const match = HH_MM.exec(value);
  return match ? Number(match[1]) * 60 + Number(match[2]) : null;
}

/** The first problem of a window, or null when it is usable. */
export function windowProblem(window: WeeklyWindow): WindowProblem | null {
  const days = window.days;
  if (
    !Array.isArray(days) ||
    days.length === 0 ||
    days.length > 7 ||
    !days.every((d) => Number.isInteger(d) && d >= 0 && d <= 6) ||
    new Set(days).size !== days.length
  ) {
    return 'window_days_invalid';
  }
  const start = parseHhMm(window.start);
  const end = parseHhMm(window.end, true);
  if (start === null || end === null) return 'window_time_invalid';
  if (end <= start) return 'window_empty';
  if (typeof window.timeZone !== 'string' || resolveTimeZone(window.timeZone) === null) {
    return 'unknown_time_zone';
  }
  return null;
}

interface LocalParts {
  year: number;
  month: number;
  day: number;
  minutes: number;
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

function zoneOf(timeZone: string): string {
  const zone = resolveTimeZone(timeZone);
  if (zone === null) throw new RangeError(`unknown time zone: ${timeZone}`);
  return zone;
}

function wallClock(at: number, zone: string): { utc: number; parts: LocalParts } {
  const values: Record<string, number> = {};
  for (const part of formatter(zone).formatToParts(new Date(at))) {
    if (part.type !== 'literal') values[part.type] = Number(part.value);
  }
  const { year, month, day, hour, minute, second } = values;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second);
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return { utc, parts: { year, month, day, minutes: hour * 60 + minute, weekday } };
}

/** The zone's offset from UTC at an instant, in ms (seconds of `at` ignored). */
function offsetAt(at: number, zone: string): number {
  const whole = at - (((at % MINUTE) + MINUTE) % MINUTE);
  return wallClock(whole, zone).utc - whole;
}

/**
 * The earliest instant whose local wall time in `zone` is the given local date and minute. When
 * that time does not exist (a spring-forward gap), the first instant after the gap.
 */
function localToInstant(localMidnightUtc: number, minutes: number, zone: string): number {
  const wanted = localMidnightUtc + minutes * MINUTE;
  const candidates = [offsetAt(wanted - DAY, zone), offsetAt(wanted + DAY, zone)].map(
    (offset) => wanted - offset,
  );
  const exact = candidates.filter((t) => wallClock(t, zone).utc === wanted);
  if (exact.length > 0) return Math.min(...exact);
  // In a gap: search the first minute whose wall time is at or after the wanted one.
  let lo = Math.min(...candidates);
  let hi = Math.max(...candidates);
  while (hi - lo > MINUTE) {
    const mid = lo + Math.floor((hi - lo) / 2 / MINUTE) * MINUTE;
    if (wallClock(mid, zone).utc >= wanted) hi = mid;
    else lo = mid;
  }
  return hi;
}

function localMidnightUtc(parts: LocalParts): number {
  return Date.UTC(parts.year, parts.month - 1, parts.day);
}

/** Local midnight of the day `at` falls on in `timeZone` (DST-safe; Intl only). */
export function localDayStart(at: Date, timeZone: string): Date {
  const zone = zoneOf(timeZone);
  const { parts } = wallClock(at.getTime(), zone);
  return new Date(localToInstant(localMidnightUtc(parts), 0, zone));
}

/** Whether the window is open at `at`. */
export function isOpen(window: WeeklyWindow, at: Date): boolean {
  const zone = zoneOf(window.timeZone);
  const { parts } = wallClock(at.getTime(), zone);
  const start = parseHhMm(window.start) ?? 0;
  const end = parseHhMm(window.end, true) ?? 0;
  return window.days.includes(parts.weekday) && parts.minutes >= start && parts.minutes < end;
}

/** `at` when open, else the next instant the window opens; null if it never opens. */
export function nextOpening(window: WeeklyWindow, at: Date): Date | null {
  if (window.days.length === 0) return null;
  if (isOpen(window, at)) return at;
  const zone = zoneOf(window.timeZone);
  const start = parseHhMm(window.start) ?? 0;
  const today = localMidnightUtc(wallClock(at.getTime(), zone).parts);
  for (let i = 0; i <= 8; i += 1) {
    const midnight = today + i * DAY;
    if (!window.days.includes(new Date(midnight).getUTCDay())) continue;
    const opening = localToInstant(midnight, start, zone);
    if (opening > at.getTime() && isOpen(window, new Date(opening))) return new Date(opening);
  }
  return null;
}
