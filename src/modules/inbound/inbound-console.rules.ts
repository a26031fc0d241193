/**
 * How the operations console reads inbound rows: whether a mailbox's delivery is failing, and
 * where a message's reply stands. Pure, so the list's column and the dashboard's filter agree.
 */

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
