import { createHash, timingSafeEqual } from 'node:crypto';

/** SHA-256 (hex) of a clientState: what is stored. */
export function hashClientState(clientState: string): string {
  return createHash('sha256').update(clientState, 'utf8').digest('hex');
}

/** Whether a notification's clientState is ours, compared in constant time. */
export function clientStateMatches(received: unknown, storedHash: string | null): boolean {
  if (typeof received !== 'string' || !storedHash || received.length > 256) return false;
  const a = Buffer.from(hashClientState(received), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Renew once less than half of the subscription's lifetime is left. */
export function renewAt(createdOrRenewedAt: Date, expiresAt: Date): Date {
  return new Date((createdOrRenewedAt.getTime() + expiresAt.getTime()) / 2);
}

/** Delta items worth processing: not removed, received since inbound was enabled. */
export function newSince<T extends { removed: boolean; receivedDateTime?: string }>(
  items: readonly T[],
  since: Date,
): T[] {
  return items.filter(
    (item) =>
      !item.removed &&
      item.receivedDateTime !== undefined &&
      Date.parse(item.receivedDateTime) >= since.getTime(),
  );
}

/** Backoff for a failing subscription or delta call: 1 min doubling to 1 h. */
export function deliveryRetryMs(failures: number): number {
  return Math.min(3600_000, 60_000 * 2 ** Math.max(0, failures));
}

/** The Graph message id a change notification names (resourceData.id, else the resource path). */
export function notifiedMessageId(item: {
  resourceData?: { id?: unknown };
  resource?: unknown;
}): string | null {
  if (typeof item.resourceData?.id === 'string' && item.resourceData.id)
    return item.resourceData.id;
  if (typeof item.resource !== 'string') return null;
  const match =
    /messages\/([^/?]+)$/i.exec(item.resource) ?? /messages\('([^']+)'\)/i.exec(item.resource);
  return match ? decodeURIComponent(match[1]) : null;
}
