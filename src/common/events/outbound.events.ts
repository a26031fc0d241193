/** Events published by the outbound module (payloads: ids and small facts). */
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
