export interface OutboundMessageSent {
  messageId: string;
  workspaceId: string;
  identityId: string;
  mailboxId: string;
  conversationId: string | null;
}

export interface OutboundMessageFailed {
  messageId: string;
  workspaceId: string;
  errorCode: string;
}

export interface IdentitySendAsDenied {
  identityId: string;
  mailboxId: string;
  workspaceId: string;
}

declare module '../../common/events/event-map.js' {
  interface DomainEventMap {
    'outbound.message-sent': OutboundMessageSent;
    'outbound.message-failed': OutboundMessageFailed;
    'identity.send-as-denied': IdentitySendAsDenied;
  }
}
