import type { ReplyPolicyView } from '../../inbound/inbound-console.service.js';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** A mailbox's reply policy as its console page shows it: one readable value per field. */
export interface PolicyDisplay {
  replyPolicy: string;
  replyMode: string | null;
  undoWindowSeconds: number | null;
  dailyReplyCap: number | null;
  escalationTopics: string | null;
  confidenceFloor: number | null;
  businessHours: string | null;
}

const SOURCES: Record<ReplyPolicyView['source'], string> = {
  stored: 'set for this mailbox',
  defaults: 'defaults (Inbound AI enabled before reply modes: replies go at once)',
  none: 'none (Inbound AI never enabled; the first enabling starts in review)',
};

export function policyDisplay(view: ReplyPolicyView | undefined): PolicyDisplay {
  const policy = view?.policy ?? null;
  return {
    replyPolicy: SOURCES[view?.source ?? 'none'],
    replyMode: policy?.replyMode ?? null,
    undoWindowSeconds: policy?.undoWindowSec ?? null,
    dailyReplyCap: policy?.dailyReplyCap ?? null,
    escalationTopics: policy ? topicsText(policy.escalationTopics) : null,
    confidenceFloor: policy?.confidenceFloor ?? null,
    businessHours: policy ? hoursText(policy.businessHours) : null,
  };
}

/** "pricing (price, quote); refund (refund)", or "none" for an empty list. */
export function topicsText(topics: readonly { topic: string; phrases: readonly string[] }[]) {
  if (topics.length === 0) return 'none (no topic is escalated)';
  return topics.map((t) => `${t.topic} (${t.phrases.join(', ')})`).join('; ');
}

/** "Mon–Fri 09:00–17:00 Europe/Berlin", "Mon, Wed 08:00–12:00 UTC", or "any time". */
export function hoursText(
  hours: { days: readonly number[]; start: string; end: string; timeZone: string } | null,
): string {
  if (!hours) return 'any time';
  return `${daysText(hours.days)} ${hours.start}–${hours.end} ${hours.timeZone}`;
}

function daysText(days: readonly number[]): string {
  const sorted = [...days].sort((a, b) => a - b);
  const consecutive = sorted.every((d, i) => i === 0 || d === sorted[i - 1] + 1);
  if (sorted.length > 2 && consecutive)
    return `${DAYS[sorted[0]]}–${DAYS[sorted[sorted.length - 1]]}`;
  return sorted.map((d) => DAYS[d] ?? `day ${d}`).join(', ');
}
