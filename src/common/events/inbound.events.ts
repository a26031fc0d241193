/** Events published by the inbound module (payloads: ids and small facts). */

/**
 * A received message says an address must not be written to again: a hard bounce names it, or
 * its sender asked to unsubscribe or complained.
 */
export interface InboundSuppressionDetected {
  workspaceId: string;
  mailboxId: string;
  inboundMessageId: string;
  email: string;
  reason: 'hard_bounce' | 'unsubscribe' | 'complaint';
}
