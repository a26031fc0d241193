import {
  effectivePace,
  type PaceOverride,
  type PaceSettings,
  storedOverride,
  storedPace,
  type WindowSetting,
} from '../../../common/pace/pace-settings.js';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** How a sender profile's and an identity's pace read on their console pages. */
export interface IdentityPaceDisplay {
  paceOverride: string;
  effectivePace: string;
}

/** "30 a day · 60–120 s apart · Mon–Fri 08:00–18:00 (mailbox time zone) · ramp 5 +5 a day". */
export function paceText(pace: PaceSettings | null): string {
  if (!pace) return 'off (Exchange limits only)';
  return [
    pace.dailyCap === null ? 'no daily cap' : `${pace.dailyCap} a day`,
    pace.gap ? `${pace.gap.minSeconds}–${pace.gap.maxSeconds} s apart` : 'no gap',
    pace.window ? windowText(pace.window) : 'any time',
    pace.ramp ? `ramp ${pace.ramp.start} +${pace.ramp.step} a day` : 'no ramp',
  ].join(' · ');
}

/** Only what the identity sets itself ("inherits the sender profile's" when nothing). */
export function overrideText(override: PaceOverride | null): string {
  if (!override) return "none (inherits the sender profile's pace)";
  const parts: string[] = [];
  if (override.dailyCap !== undefined) parts.push(`${override.dailyCap} a day`);
  if (override.gap) parts.push(`${override.gap.minSeconds}–${override.gap.maxSeconds} s apart`);
  if (override.window) parts.push(windowText(override.window));
  if (override.ramp) parts.push(`ramp ${override.ramp.start} +${override.ramp.step} a day`);
  return parts.join(' · ');
}

/** An identity's stored override over its profile's stored pace (the dispatcher's rule). */
export function identityPaceDisplay(
  storedProfilePace: unknown,
  storedIdentityOverride: unknown,
): IdentityPaceDisplay {
  const override = storedOverride(storedIdentityOverride);
  return {
    paceOverride: overrideText(override),
    effectivePace: paceText(effectivePace(storedPace(storedProfilePace), override)),
  };
}

export function windowText(window: WindowSetting): string {
  return `${daysText(window.days)} ${window.start}–${window.end} (${window.timeZone ?? 'mailbox time zone'})`;
}

function daysText(days: readonly number[]): string {
  // Monday first, Sunday last, as a week reads.
  const order = (d: number) => (d + 6) % 7;
  const sorted = [...days].sort((a, b) => order(a) - order(b));
  const consecutive = sorted.every((d, i) => i === 0 || order(d) === order(sorted[i - 1]) + 1);
  if (sorted.length > 2 && consecutive)
    return `${DAYS[sorted[0]]}–${DAYS[sorted[sorted.length - 1]]}`;
  return sorted.map((d) => DAYS[d] ?? `day ${d}`).join(', ');
}
