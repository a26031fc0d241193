/**
 * How the operations console reads inbound rows: whether a mailbox's delivery is failing, and
 * where a message's reply stands. Pure, so the list's column and the dashboard's filter agree.
 */
import { effectivePolicy, type ReplyPolicy, type StoredPolicy } from './reply-policy.rules.js';

export interface SubscriptionHealth {
  state: 'active' | 'paused' | 'stopped';
  mode: 'notifications' | 'polling';
  graphSubscriptionId: string | null;
  expiresAt: Date | null;
  lastError: string | null;
  lastErrorAt: Date | null;
  lastCatchUpAt: Date | null;
}

/**
 * Why delivery is failing, or null: a stopped mailbox never fails; otherwise its last error is
 * newer than its last successful catch-up (a success clears it too), or Graph's subscription has
 * expired without renewal (notifications no longer arrive).
 */
export function subscriptionFailure(
  row: SubscriptionHealth,
  now: Date,
): 'error' | 'expired' | null {
  if (row.state === 'stopped') return null;
  if (row.lastError !== null && errorIsNewest(row)) return 'error';
  if (isExpired(row, now)) return 'expired';
  return null;
}

function errorIsNewest(row: SubscriptionHealth): boolean {
  if (row.lastErrorAt === null || row.lastCatchUpAt === null) return true;
  return row.lastErrorAt.getTime() >= row.lastCatchUpAt.getTime();
}

function isExpired(row: SubscriptionHealth, now: Date): boolean {
  return (
    row.state === 'active' &&
    row.mode === 'notifications' &&
    row.graphSubscriptionId !== null &&
    row.expiresAt !== null &&
    row.expiresAt.getTime() < now.getTime()
  );
}

export type ReplyStatus = 'sent' | 'booked' | 'none';

/** sent: the reply went out; booked: a send slot is held, not sent yet; none: no reply. */
export function replyStatus(row: { replySentAt: Date | null; replyBookedAt: Date | null }) {
  if (row.replySentAt) return 'sent' satisfies ReplyStatus;
  if (row.replyBookedAt) return 'booked' satisfies ReplyStatus;
  return 'none' satisfies ReplyStatus;
}

/** A reply status (awaiting_review, scheduled, sent, …) or, for rows without one, ReplyStatus. */
export type ConsoleReplyStatus = string;

/**
 * The inbound messages list's "Reply" column: the reply's own status once reply modes record
 * one (awaiting_review, scheduled, discarded, …); before that, sent / booked / none.
 */
export function consoleReplyStatus(row: {
  replyStatus: string | null;
  replySentAt: Date | null;
  replyBookedAt: Date | null;
}): ConsoleReplyStatus {
  return row.replyStatus ?? replyStatus(row);
}

/**
 * An AI reply's status as GET /v1/inbound/replies answers it (dto replyStatusOf): its own, or
 * for a reply made before reply statuses, derived from the message's action.
 */
export function aiReplyStatus(row: { replyStatus: string | null; action: string | null }): string {
  if (row.replyStatus) return row.replyStatus;
  if (row.action === 'replied') return 'sent';
  if (row.action === 'failed') return 'failed';
  return 'sending';
}

/**
 * The reply policy a mailbox's page shows: `stored` (its inbound_reply_policy row, defaults
 * filled in), `defaults` (Inbound AI enabled before reply modes: no row, the pipeline runs it
 * with send and the default guard rails) or `none` (Inbound AI never set: nothing runs; the
 * first enabling stores review).
 */
export function consoleReplyPolicy(
  stored: StoredPolicy | null,
  inboundEnabled: boolean,
  defaultFloor: number,
): { source: 'stored' | 'defaults' | 'none'; policy: ReplyPolicy | null } {
  if (stored) return { source: 'stored', policy: effectivePolicy(stored, defaultFloor) };
  if (inboundEnabled) return { source: 'defaults', policy: effectivePolicy(null, defaultFloor) };
  return { source: 'none', policy: null };
}
