import { WEEKDAYS } from './labels.js';

/** What `pace: {}` gives (the API's recommended values for a cold-outreach mailbox). */
export const RECOMMENDED_PACE = {
  dailyCap: 30,
  gap: { minSeconds: 60, maxSeconds: 120 },
  window: { days: [1, 2, 3, 4, 5], start: '08:00', end: '18:00', timeZone: null },
  ramp: { start: 5, step: 5 },
};

/** Why a queued message is not going yet (`waitingReason`), in words. */
export const WAITING_REASON = {
  waiting_for_window: 'Waiting for the sending window',
  daily_cap_reached: 'The address reached its daily cap',
  ramp_limit_reached: 'The address reached today’s ramp-up limit',
  minimum_gap: 'Waiting out the gap between sends',
  replies_first: 'Replies from the same sender go first',
  mailbox_limit: 'Waiting for the mailbox’s Microsoft sending limit',
  no_sendable_identity: 'No address of the sender profile can send right now',
  retry_backoff: 'Waiting to try again after a refused attempt',
};

/** The outreach pace decides these waits (the rest are Exchange, replies or retries). */
export const PACE_WAITS = [
  'waiting_for_window',
  'daily_cap_reached',
  'ramp_limit_reached',
  'minimum_gap',
];

/** "Waiting for the sending window — expected Mon 30 Nov, 08:00". */
export function waitingText(message) {
  const why = WAITING_REASON[message.waitingReason] ?? message.waitingReason.replace(/_/g, ' ');
  return message.expectedAt ? `${why} — expected ${expectedTime(message.expectedAt)}` : why;
}

export function expectedTime(iso) {
  return new Date(iso).toLocaleString(undefined, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
}

/** The effective pace of an identity: its own values over its profile's (null: none). */
export function effectivePace(profilePace, override) {
  if (!profilePace && !override) return null;
  const base = profilePace ?? { dailyCap: null, gap: null, window: null, ramp: null };
  return { ...base, ...(override ?? {}) };
}

/** One line: "30 a day · 60–120 s apart · Mon–Fri 08:00–18:00 (mailbox time zone) · ramp 5 +5/day". */
export function paceSummary(pace) {
  if (!pace) return 'Off — only Microsoft’s own limits apply';
  const parts = [
    pace.dailyCap === null || pace.dailyCap === undefined
      ? 'no daily cap'
      : `${pace.dailyCap} a day`,
    pace.gap ? `${pace.gap.minSeconds}–${pace.gap.maxSeconds} s apart` : 'no gap',
    pace.window ? windowText(pace.window) : 'any time',
    pace.ramp ? `ramp ${pace.ramp.start} +${pace.ramp.step} a day` : 'no ramp',
  ];
  return parts.join(' · ');
}

/** Only the values an identity sets itself. */
export function overrideSummary(override) {
  if (!override) return 'as its sender profile';
  const parts = [];
  if (override.dailyCap !== undefined) parts.push(`cap ${override.dailyCap} a day`);
  if (override.gap) parts.push(`${override.gap.minSeconds}–${override.gap.maxSeconds} s apart`);
  if (override.window) parts.push(windowText(override.window));
  if (override.ramp) parts.push(`ramp ${override.ramp.start} +${override.ramp.step} a day`);
  return `own: ${parts.join(' · ')}`;
}

export function windowText(window) {
  const zone = window.timeZone ?? 'mailbox time zone';
  return `${daysText(window.days)} ${window.start}–${window.end} (${zone})`;
}

function daysText(days) {
  const order = WEEKDAYS.map(([day]) => day);
  const sorted = [...days].sort((a, b) => order.indexOf(a) - order.indexOf(b));
  const names = sorted.map((d) => WEEKDAYS.find(([day]) => day === d)?.[1] ?? `day ${d}`);
  const positions = sorted.map((d) => order.indexOf(d));
  const consecutive = positions.every((p, i) => i === 0 || p === positions[i - 1] + 1);
  if (names.length > 2 && consecutive) return `${names[0]}–${names[names.length - 1]}`;
  return names.join(', ');
}
