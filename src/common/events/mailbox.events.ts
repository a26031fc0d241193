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
