/** What a person can do about a mailbox's state (the Email Setup page shows a button for it). */
export type StatusAction = 'none' | 'reconnect' | 'ask_admin' | 'wait' | 'contact_support';

export interface StatusExplanation {
  message: string | null;
  action: StatusAction;
}

const REASONS: Record<string, StatusExplanation> = {
  invalid_grant: {
    message:
      'Microsoft no longer accepts this sign-in (password reset, sessions revoked or unused for 90 days). Reconnect the mailbox.',
    action: 'reconnect',
  },
  interaction_required: {
    message:
      'Microsoft needs the user to sign in again (multi-factor or conditional access). Reconnect the mailbox.',
    action: 'reconnect',
  },
  consent_required: {
    message:
      'The permissions granted to ScendCore were withdrawn. Reconnect the mailbox, or ask your Microsoft 365 admin to approve ScendCore for the organization.',
    action: 'reconnect',
  },
  token_refresh_failing: {
    message:
      'Microsoft is not answering token requests right now; sending waits and resumes by itself. Nothing to do unless it lasts for hours.',
    action: 'wait',
  },
  organization_needs_consent: {
    message:
      "The organization's admin consent was revoked or ScendCore was removed from Entra ID. Ask your Microsoft 365 admin to grant admin consent again.",
    action: 'ask_admin',
  },
  application_access_denied: {
    message:
      'An Exchange application access policy keeps ScendCore out of this mailbox. Ask your Microsoft 365 admin to include it in the policy.',
    action: 'ask_admin',
  },
};

/** The reason of a mailbox's status in words, and the next step (unknown reasons: support). */
export function explainStatus(status: string, reason: string | null): StatusExplanation {
  if (reason && REASONS[reason]) return REASONS[reason];
  if (status === 'active' && !reason) return { message: null, action: 'none' };
  if (status === 'needs_reauth')
    return { ...REASONS.invalid_grant, message: REASONS.invalid_grant.message };
  return {
    message: `The mailbox cannot be used right now (${reason ?? status}). Contact ScendCore support if it persists.`,
    action: 'contact_support',
  };
}
