import { DomainError } from '../errors/domain-error.js';
import { resolveTimeZone } from '../time/time-zone.js';
import { windowProblem } from '../time/time-window.rules.js';

/** Seconds between two outreach sends of one identity: each gap is drawn in [min, max]. */
export interface GapSetting {
  minSeconds: number;
  maxSeconds: number;
}

/** When outreach may go: local days (0 = Sunday) and hours; timeZone null = the mailbox's own. */
export interface WindowSetting {
  days: number[];
  start: string;
  end: string;
  timeZone: string | null;
}

/** A new identity sends `start` on its first day, `step` more each day, up to the cap. */
export interface RampSetting {
  start: number;
  step: number;
}

/** Outreach pace of an identity. Each null means "no such limit". */
export interface PaceSettings {
  dailyCap: number | null;
  gap: GapSetting | null;
  window: WindowSetting | null;
  ramp: RampSetting | null;
}

/** An identity's own values; a missing key inherits its sender profile's. */
export type PaceOverride = Partial<{ [K in keyof PaceSettings]: NonNullable<PaceSettings[K]> }>;

export const PACE_KEYS = ['dailyCap', 'gap', 'window', 'ramp'] as const;

/** Exchange Online: 10,000 recipients a day per mailbox; no outreach cap can be above it. */
export const EXCHANGE_DAILY_RECIPIENTS = 10_000;
const MAX_GAP_SECONDS = 86_400;

/** What `pace: {}` gives: the usual advice for a cold-outreach mailbox. */
export const RECOMMENDED_PACE: PaceSettings = {
  dailyCap: 30,
  gap: { minSeconds: 60, maxSeconds: 120 },
  window: { days: [1, 2, 3, 4, 5], start: '08:00', end: '18:00', timeZone: null },
  ramp: { start: 5, step: 5 },
};

export class PaceSettingsInvalidError extends DomainError {
  constructor(code: string, field: string, message: string) {
    super(code, 400, message, [{ field, message }]);
  }
}

export const PACE_ERROR_CODES = [
  'pace_invalid',
  'pace_daily_cap_invalid',
  'pace_gap_invalid',
  'pace_window_days_invalid',
  'pace_window_time_invalid',
  'pace_window_empty',
  'pace_time_zone_unknown',
  'pace_ramp_invalid',
] as const;

/**
 * A sender profile's pace from request input: null turns it off; in an object a missing key takes
 * the recommended value and null turns that limit off. Throws PaceSettingsInvalidError (400).
 */
export function parseProfilePace(input: unknown, field = 'pace'): PaceSettings | null {
  if (input === null) return null;
  const object = plainObject(input, field);
  const result = { ...RECOMMENDED_PACE };
  for (const key of PACE_KEYS) {
    const value = object[key];
    if (value === undefined) continue;
    Object.assign(result, { [key]: value === null ? null : parseValue(key, value, field) });
  }
  return result;
}

/** An identity's override from request input: null or a missing/null key inherits. */
export function parsePaceOverride(input: unknown, field = 'pace'): PaceOverride | null {
  if (input === null) return null;
  const object = plainObject(input, field);
  const result: PaceOverride = {};
  for (const key of PACE_KEYS) {
    const value = object[key];
    if (value === undefined || value === null) continue;
    Object.assign(result, { [key]: parseValue(key, value, field) });
  }
  return Object.keys(result).length > 0 ? result : null;
}

/** The identity's effective pace: its own values over the profile's (null when neither has any). */
export function effectivePace(
  profile: PaceSettings | null,
  override: PaceOverride | null,
): PaceSettings | null {
  if (!profile && !override) return null;
  const base = profile ?? { dailyCap: null, gap: null, window: null, ramp: null };
  return { ...base, ...(override ?? {}) };
}

/** Reads a stored value back (rows written by parse*; anything else is treated as none). */
export function storedPace(value: unknown): PaceSettings | null {
  try {
    return value === null || value === undefined ? null : parseProfilePace(value);
  } catch {
    return null;
  }
}

export function storedOverride(value: unknown): PaceOverride | null {
  try {
    return value === null || value === undefined ? null : parsePaceOverride(value);
  } catch {
    return null;
  }
}

function plainObject(input: unknown, field: string): Record<string, unknown> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new PaceSettingsInvalidError('pace_invalid', field, `${field} must be an object or null`);
  }
  const object = input as Record<string, unknown>;
  const unknown = Object.keys(object).filter((k) => !(PACE_KEYS as readonly string[]).includes(k));
  if (unknown.length > 0) {
    throw new PaceSettingsInvalidError(
      'pace_invalid',
      `${field}.${unknown[0]}`,
      `${field} has an unknown property; allowed: ${PACE_KEYS.join(', ')}`,
    );
  }
  return object;
}

function parseValue(key: (typeof PACE_KEYS)[number], value: unknown, field: string) {
  switch (key) {
    case 'dailyCap':
      return parseCap(value, `${field}.dailyCap`);
    case 'gap':
      return parseGap(value, `${field}.gap`);
    case 'window':
      return parseWindow(value, `${field}.window`);
    case 'ramp':
      return parseRamp(value, `${field}.ramp`);
  }
}

function isInt(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

function exactKeys(value: unknown, keys: string[]): Record<string, unknown> | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const object = value as Record<string, unknown>;
  return Object.keys(object).every((k) => keys.includes(k)) ? object : null;
}

function parseCap(value: unknown, field: string): number {
  if (isInt(value, 1, EXCHANGE_DAILY_RECIPIENTS)) return value;
  throw new PaceSettingsInvalidError(
    'pace_daily_cap_invalid',
    field,
    `dailyCap must be a whole number from 1 to ${EXCHANGE_DAILY_RECIPIENTS} (Exchange's daily limit)`,
  );
}

function parseGap(value: unknown, field: string): GapSetting {
  const object = exactKeys(value, ['minSeconds', 'maxSeconds']);
  const min = object?.minSeconds;
  const max = object?.maxSeconds;
  if (isInt(min, 0, MAX_GAP_SECONDS) && isInt(max, 0, MAX_GAP_SECONDS) && min <= max) {
    return { minSeconds: min, maxSeconds: max };
  }
  throw new PaceSettingsInvalidError(
    'pace_gap_invalid',
    field,
    `gap must be {minSeconds, maxSeconds}: whole seconds from 0 to ${MAX_GAP_SECONDS}, minSeconds <= maxSeconds`,
  );
}

function parseRamp(value: unknown, field: string): RampSetting {
  const object = exactKeys(value, ['start', 'step']);
  if (isInt(object?.start, 1, EXCHANGE_DAILY_RECIPIENTS) && isInt(object?.step, 0, 10_000)) {
    return { start: object.start as number, step: object.step as number };
  }
  throw new PaceSettingsInvalidError(
    'pace_ramp_invalid',
    field,
    'ramp must be {start, step}: start a whole number from 1, step a whole number from 0',
  );
}

const WINDOW_MESSAGES: Record<string, string> = {
  pace_window_days_invalid: 'window.days must list distinct weekdays, 0 (Sunday) to 6',
  pace_window_time_invalid: "window.start and window.end must be 'HH:MM' (end may be '24:00')",
  pace_window_empty: 'window.end must be after window.start',
  pace_time_zone_unknown:
    'window.timeZone must be an IANA zone (Europe/Paris) or a Windows zone name (Pacific Standard Time), or null for the mailbox own',
};

function parseWindow(value: unknown, field: string): WindowSetting {
  const object = exactKeys(value, ['days', 'start', 'end', 'timeZone']);
  if (!object) {
    throw new PaceSettingsInvalidError(
      'pace_window_time_invalid',
      field,
      'window must be {days, start, end, timeZone?}',
    );
  }
  const timeZone = object.timeZone ?? null;
  const problem = windowProblem({
    days: object.days as number[],
    start: object.start as string,
    end: object.end as string,
    timeZone: timeZone === null ? 'UTC' : (timeZone as string),
  });
  if (problem) {
    const code = problem === 'unknown_time_zone' ? 'pace_time_zone_unknown' : `pace_${problem}`;
    throw new PaceSettingsInvalidError(code, field, WINDOW_MESSAGES[code]);
  }
  return {
    days: [...(object.days as number[])].sort((a, b) => a - b),
    start: object.start as string,
    end: object.end as string,
    timeZone: timeZone === null ? null : resolveTimeZone(timeZone as string),
  };
}
