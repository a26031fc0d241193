import { isOpen, nextOpening, type WeeklyWindow } from '../../common/time/time-window.rules.js';
import { DEFAULT_ESCALATION_TOPICS, type EscalationTopic } from './escalation.rules.js';

export const REPLY_MODES = ['send', 'review', 'delayed'] as const;
export type ReplyMode = (typeof REPLY_MODES)[number];

/** Reply statuses on the wire (GET /v1/inbound/replies?status=). */
export const REPLY_STATUSES = [
  'drafting',
  'awaiting_review',
  'scheduled',
  'approved',
  'sending',
  'sent',
  'discarded',
  'cancelled',
  'failed',
] as const;
export type ReplyStatus = (typeof REPLY_STATUSES)[number];

export const DEFAULT_UNDO_WINDOW_SEC = 300;
export const DEFAULT_DAILY_REPLY_CAP = 50;

/** Where a reply whose slot was just taken starts, by the mailbox's reply mode. */
export function initialReplyState(
  mode: ReplyMode,
  now: Date,
  undoWindowSec: number,
): { status: ReplyStatus; dueAt: Date } {
  if (mode === 'review') return { status: 'drafting', dueAt: now };
  if (mode === 'delayed')
    return { status: 'scheduled', dueAt: new Date(now.getTime() + undoWindowSec * 1000) };
  return { status: 'sending', dueAt: now };
}

export interface ReplySlotInput {
  /** AI replies of the mailbox in the last 24 hours (booked, drafted, scheduled or sent). */
  mailboxRepliesToday: number;
  dailyCap: number;
  /** AI replies of the conversation in the last 24 hours. */
  threadRepliesToday: number;
  threadCap: number;
  /** The newest AI reply of the conversation (any age), or null. */
  lastAiReplyAt: Date | null;
  /** When the newest message a person sent from the mailbox in the conversation was sent. */
  lastHumanMessageAt: Date | null;
}

/**
 * Why another AI reply must not be made, or null. The "one in a row" rule: once the AI has
 * answered in a conversation, it answers there again only after a person sent a message from
 * the mailbox in that conversation (found in Sent Items, not one of our AI replies), newer than
 * the AI's last reply. Until then every further message of the thread is left to a person.
 */
export function replySlotRefusal(input: ReplySlotInput): string | null {
  if (input.mailboxRepliesToday >= input.dailyCap) return 'daily_ai_reply_cap_reached';
  if (input.threadRepliesToday >= input.threadCap) return 'thread_reply_cap';
  if (
    input.lastAiReplyAt &&
    (!input.lastHumanMessageAt || input.lastHumanMessageAt <= input.lastAiReplyAt)
  )
    return 'ai_reply_in_a_row';
  return null;
}

/** The newest message a person sent, among a conversation's sent messages minus our AI replies. */
export function lastHumanMessageAt(
  sent: readonly { sentAt: Date | null; marker: string | null }[],
  aiReplyMarkers: ReadonlySet<string>,
): Date | null {
  let last: Date | null = null;
  for (const m of sent) {
    if (!m.sentAt || (m.marker && aiReplyMarkers.has(m.marker))) continue;
    if (!last || m.sentAt > last) last = m.sentAt;
  }
  return last;
}

export type ReplyCommand = 'approve' | 'discard' | 'cancel';

/** The error code when a person's command does not fit the reply's status, or null. */
export function commandRefusal(command: ReplyCommand, status: string | null): string | null {
  if (command === 'cancel') return status === 'scheduled' ? null : 'reply_not_scheduled';
  return status === 'awaiting_review' ? null : 'reply_not_awaiting_review';
}

/** Business hours: a weekly window (days 0 = Sunday … 6, local 'HH:MM' start/end, a zone). */
export type BusinessHours = WeeklyWindow;

/**
 * When an AI reply may go: now (null) inside the business hours or without any, else the next
 * opening. A window that never opens (unknown zone after a tz database change) holds the reply
 * a day and looks again.
 */
export function businessHoursWait(hours: BusinessHours | null, now: Date): Date | null {
  if (!hours || isOpen(hours, now)) return null;
  return nextOpening(hours, now) ?? new Date(now.getTime() + 24 * 3600_000);
}

export interface ReplyPolicy {
  replyMode: ReplyMode;
  undoWindowSec: number;
  dailyReplyCap: number;
  escalationTopics: EscalationTopic[];
  confidenceFloor: number;
  businessHours: BusinessHours | null;
}

export interface StoredPolicy {
  replyMode: string;
  undoWindowSec: number;
  dailyReplyCap: number;
  escalationTopics: unknown;
  confidenceFloor: number | null;
  businessHours: unknown;
}

/**
 * The policy a mailbox runs under. No stored row: a mailbox whose Inbound AI was enabled before
 * reply modes existed; it keeps sending at once (`send`), with every other guard rail on.
 */
export function effectivePolicy(row: StoredPolicy | null, defaultFloor: number): ReplyPolicy {
  return {
    replyMode: isReplyMode(row?.replyMode) ? row.replyMode : 'send',
    undoWindowSec: row?.undoWindowSec ?? DEFAULT_UNDO_WINDOW_SEC,
    dailyReplyCap: row?.dailyReplyCap ?? DEFAULT_DAILY_REPLY_CAP,
    escalationTopics: Array.isArray(row?.escalationTopics)
      ? (row.escalationTopics as EscalationTopic[])
      : [...DEFAULT_ESCALATION_TOPICS],
    confidenceFloor: row?.confidenceFloor ?? defaultFloor,
    businessHours: (row?.businessHours as BusinessHours | null | undefined) ?? null,
  };
}

/**
 * The reply mode a mailbox's policy row is created with on its first settings change: `review`
 * for a mailbox being enabled now, `send` for one already enabled before reply modes existed.
 */
export function initialReplyMode(inboundEnabled: boolean): ReplyMode {
  return inboundEnabled ? 'send' : 'review';
}

/**
 * Where a reported policy comes from: `stored` (its own row), `legacy` (enabled before reply
 * modes: the pipeline applies the defaults with `send`), `default` (never enabled: what enabling
 * would give, i.e. `review` with the defaults).
 */
export type PolicySource = 'stored' | 'legacy' | 'default';

/** The policy GET /v1/inbound/mailboxes/:id/reply-policy reports, and where it comes from. */
export function reportedPolicy(
  row: StoredPolicy | null,
  inboundEnabled: boolean,
  defaultFloor: number,
): { source: PolicySource; policy: ReplyPolicy } {
  if (row) return { source: 'stored', policy: effectivePolicy(row, defaultFloor) };
  const policy = effectivePolicy(null, defaultFloor);
  if (inboundEnabled) return { source: 'legacy', policy };
  return { source: 'default', policy: { ...policy, replyMode: initialReplyMode(false) } };
}

export function isReplyMode(value: unknown): value is ReplyMode {
  return typeof value === 'string' && (REPLY_MODES as readonly string[]).includes(value);
}
