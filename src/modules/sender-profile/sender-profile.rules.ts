export type NotSendableReason =
  'no_identity_assigned' | 'no_active_identity' | 'mailboxes_need_reauth';

export interface Sendability {
  sendable: boolean;
  reason: NotSendableReason | null;
}

/** What decides whether one assigned identity can send. */
export interface AssignedIdentityState {
  status: 'active' | 'inactive' | 'send_as_denied';
  mailboxStatus: 'active' | 'needs_reauth' | 'error';
  mailboxConnected: boolean;
}

/**
 * A profile can send when at least one assigned identity is active on an active, connected
 * mailbox ("Emails not sending: make sure at least one identity has an Active status and is
 * assigned to a sender profile"). Otherwise the reason names the first thing to fix.
 */
export function sendabilityOf(identities: readonly AssignedIdentityState[]): Sendability {
  if (identities.length === 0) return { sendable: false, reason: 'no_identity_assigned' };
  const active = identities.filter((identity) => identity.status === 'active');
  if (active.length === 0) return { sendable: false, reason: 'no_active_identity' };
  const ready = active.some((i) => i.mailboxStatus === 'active' && i.mailboxConnected);
  return ready
    ? { sendable: true, reason: null }
    : { sendable: false, reason: 'mailboxes_need_reauth' };
}
