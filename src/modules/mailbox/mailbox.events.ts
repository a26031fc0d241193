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

declare module '../../common/events/event-map.js' {
  interface DomainEventMap {
    'mailbox.connected': MailboxConnected;
    'mailbox.reauth-required': MailboxReauthRequired;
    'mailbox.disconnected': MailboxDisconnected;
  }
}
