import type { Recipient } from './outbound.rules.js';

export const SUPPRESSION_REASONS = ['hard_bounce', 'unsubscribe', 'complaint', 'manual'] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];

/** A recipient left out of a message, and why. */
export interface SuppressedRecipient {
  email: string;
  field: 'to' | 'cc' | 'bcc';
  reason: SuppressionReason;
}

export interface RecipientLists {
  to: Recipient[];
  cc: Recipient[];
  bcc: Recipient[];
}

export interface Screened {
  kept: RecipientLists & { count: number };
  dropped: SuppressedRecipient[];
}

/** Every address of the lists, lower case, once. */
export function addressesOf(lists: RecipientLists): string[] {
  return [...new Set([...lists.to, ...lists.cc, ...lists.bcc].map((r) => r.email.toLowerCase()))];
}

/** The lists without the suppressed addresses, and those left out with their reason. */
export function screenRecipients(
  lists: RecipientLists,
  suppressed: ReadonlyMap<string, SuppressionReason>,
): Screened {
  const dropped: SuppressedRecipient[] = [];
  const keep = (field: SuppressedRecipient['field']) =>
    lists[field].filter((r) => {
      const reason = suppressed.get(r.email.toLowerCase());
      if (reason) dropped.push({ email: r.email.toLowerCase(), field, reason });
      return !reason;
    });
  const kept = { to: keep('to'), cc: keep('cc'), bcc: keep('bcc') };
  return { kept: { ...kept, count: kept.to.length + kept.cc.length + kept.bcc.length }, dropped };
}

/**
 * Whether the message can still go: not when nobody is left, nor when every `to` recipient is
 * suppressed (a message only to its cc or bcc is not what the sender wrote).
 */
export function nobodyLeft(screened: Screened): boolean {
  return screened.kept.count === 0 || screened.kept.to.length === 0;
}
