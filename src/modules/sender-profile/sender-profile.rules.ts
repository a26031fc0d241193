export type NotSendableReason =
  | 'no_identity_assigned'
  | 'no_active_identity'
  | 'mailboxes_need_reauth'
  | 'organization_needs_consent'
  | 'mailbox_access_denied';

export interface Sendability {
  sendable: boolean;
  reason: NotSendableReason | null;
}

/** What decides whether one assigned identity can send. */
export interface AssignedIdentityState {
  status: 'active' | 'inactive' | 'send_as_denied';
  mailboxStatus: 'active' | 'needs_reauth' | 'error';
  /** The mailbox's statusReason (set by the mailbox module), when it is not active. */
  mailboxStatusReason?: string | null;
  mailboxConnected: boolean;
}

/** Mailbox status reasons that have a profile-level reason of their own. */
const MAILBOX_REASONS: Record<string, NotSendableReason> = {
  organization_needs_consent: 'organization_needs_consent',
  application_access_denied: 'mailbox_access_denied',
};

/**
 * A profile can send when at least one assigned identity is active on an active, connected
 * mailbox ("Emails not sending: make sure at least one identity has an Active status and is
 * assigned to a sender profile"). Otherwise the reason names the first thing to fix: when every
 * blocked mailbox is blocked for the same organization reason (its admin consent is gone, or an
 * Exchange access policy hides it from the app), that reason; else `mailboxes_need_reauth`.
 */
export function sendabilityOf(identities: readonly AssignedIdentityState[]): Sendability {
  if (identities.length === 0) return { sendable: false, reason: 'no_identity_assigned' };
  const active = identities.filter((identity) => identity.status === 'active');
  if (active.length === 0) return { sendable: false, reason: 'no_active_identity' };
  const ready = active.some((i) => i.mailboxStatus === 'active' && i.mailboxConnected);
  return ready ? { sendable: true, reason: null } : { sendable: false, reason: blocked(active) };
}

function blocked(active: readonly AssignedIdentityState[]): NotSendableReason {
  const reasons = new Set(
    active.map((i) =>
      i.mailboxConnected ? MAILBOX_REASONS[i.mailboxStatusReason ?? ''] : undefined,
    ),
  );
  const [only] = reasons;
  return reasons.size === 1 && only ? only : 'mailboxes_need_reauth';
}
