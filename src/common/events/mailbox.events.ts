/** Events published by the mailbox module (payloads: ids and small facts). */
export interface MailboxConnected {
  mailboxId: string;
  workspaceId: string;
  connectionType: 'delegated' | 'organization';
  reconnected: boolean;
}

export interface MailboxReauthRequired {
  mailboxId: string;
  workspaceId: string;
  reason: string;
}

export interface MailboxDisconnected {
  mailboxId: string;
  workspaceId: string;
}

/**
 * Microsoft refused the app-only access of an organization mailbox while it was used: its
 * organization's consent seems gone (`consent_missing`), or an Exchange application access
 * policy hides this mailbox from the app (`access_denied`, the mailbox is marked already).
 */
export interface MailboxAppAccessRefused {
  mailboxId: string;
  workspaceId: string;
  organizationId: string;
  reason: 'consent_missing' | 'access_denied';
}
