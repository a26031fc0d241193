import type { PaceSettings } from '../../common/pace/pace-settings.js';
import {
  localDayStart,
  nextOpening,
  type WeeklyWindow,
} from '../../common/time/time-window.rules.js';

/** Why a queued message waits (GET /v1/messages answers it as `waitingReason`). */
export const WAITING_REASONS = [
  'waiting_for_window',
  'daily_cap_reached',
  'ramp_limit_reached',
  'minimum_gap',
  'replies_first',
  'mailbox_limit',
  'no_sendable_identity',
  'retry_backoff',
] as const;
export type WaitingReason = (typeof WAITING_REASONS)[number];

/** The waits the outreach pace decides. */
export const PACE_WAIT_REASONS = [
  'waiting_for_window',
  'daily_cap_reached',
  'ramp_limit_reached',
  'minimum_gap',
] as const satisfies readonly WaitingReason[];
export type PaceWaitReason = (typeof PACE_WAIT_REASONS)[number];

/** What the database says about an identity's outreach so far. */
export interface IdentityPaceState {
  /** Outreach sends booked since the start of the local day (replies not counted). */
  sentToday: number;
  /** The next outreach send may not start before this (last send + drawn gap). */
  gapUntil: Date | null;
  /** The identity's first send of any kind; null = never (today is ramp day 1). */
  firstSendAt: Date | null;
}

export type PaceDecision = { go: true } | { go: false; reason: PaceWaitReason; until: Date };

const HOUR = 3_600_000;

/** The zone pace days and windows are counted in: the window's, else the mailbox's, else UTC. */
export function paceZone(pace: PaceSettings | null, mailboxZone: string | null): string {
  return pace?.window?.timeZone ?? mailboxZone ?? 'UTC';
}

/** 1 on the local day of the first send (or today when none), 2 the next local day, … */
export function rampDay(firstSendAt: Date | null, now: Date, zone: string): number {
  if (!firstSendAt) return 1;
  const day = (at: Date) => {
    const [y, m, d] = at.toLocaleDateString('en-CA', { timeZone: zone }).split('-').map(Number);
    return Date.UTC(y, m - 1, d) / (24 * HOUR);
  };
  return Math.max(1, day(now) - day(firstSendAt) + 1);
}

/** Outreach sends allowed today: the lower of the cap and the ramp's allowance; null = no limit. */
export function dailyAllowance(
  pace: PaceSettings,
  state: IdentityPaceState,
  now: Date,
  zone: string,
): { allowed: number; by: 'daily_cap_reached' | 'ramp_limit_reached' } | null {
  const cap = pace.dailyCap ?? Infinity;
  const ramp = pace.ramp
    ? pace.ramp.start + pace.ramp.step * (rampDay(state.firstSendAt, now, zone) - 1)
    : Infinity;
  if (cap === Infinity && ramp === Infinity) return null;
  return ramp < cap
    ? { allowed: ramp, by: 'ramp_limit_reached' }
    : { allowed: cap, by: 'daily_cap_reached' };
}

/** Start of the next local day in `zone`. */
export function nextLocalDay(now: Date, zone: string): Date {
  const today = localDayStart(now, zone).getTime();
  return localDayStart(new Date(today + 36 * HOUR), zone);
}

/**
 * May an outreach message start from this identity now? If not, the first reason that holds it
 * back now, and the earliest instant every limit allows (window, today's allowance, gap).
 * Replies are not paced (they answer people); callers skip this for them.
 */
export function paceDecision(
  pace: PaceSettings | null,
  state: IdentityPaceState,
  now: Date,
  zone: string,
): PaceDecision {
  if (!pace) return { go: true };
  const window: WeeklyWindow | null = pace.window ? { ...pace.window, timeZone: zone } : null;
  const allowance = dailyAllowance(pace, state, now, zone);
  const capped = allowance !== null && state.sentToday >= allowance.allowed;
  const gapUntil = state.gapUntil && state.gapUntil > now ? state.gapUntil : null;
  const closed = window !== null && nextOpening(window, now)?.getTime() !== now.getTime();
  if (!closed && !capped && !gapUntil) return { go: true };
  const reason: PaceWaitReason = closed
    ? 'waiting_for_window'
    : capped
      ? allowance.by
      : 'minimum_gap';
  let until = capped ? nextLocalDay(now, zone) : now;
  if (gapUntil && gapUntil > until) until = gapUntil;
  if (window) until = nextOpening(window, until) ?? new Date(until.getTime() + 7 * 24 * HOUR);
  return { go: false, reason, until };
}

/** When this identity's next outreach send may start after one booked at `now`. */
export function gapUntilAfter(
  pace: PaceSettings | null,
  now: Date,
  random: () => number = Math.random,
): Date | null {
  if (!pace?.gap) return null;
  const { minSeconds, maxSeconds } = pace.gap;
  const seconds = minSeconds + random() * (maxSeconds - minSeconds);
  return new Date(now.getTime() + Math.round(seconds * 1000));
}

/** Of several identities' waits, the one that ends first. */
export function earliestWait<T extends { reason: PaceWaitReason; until: Date }>(
  waits: readonly T[],
): T | null {
  return waits.reduce<T | null>((best, w) => (!best || w.until < best.until ? w : best), null);
}
