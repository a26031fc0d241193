import type { IdentityDiscovered, IdentityRemoved } from './identity.events.js';
import type { InboundSuppressionDetected } from './inbound.events.js';
import type {
  MailboxAppAccessRefused,
  MailboxConnected,
  MailboxDisconnected,
  MailboxReauthRequired,
} from './mailbox.events.js';
import type {
  OrganizationConsentGranted,
  OrganizationConsentRevoked,
} from './organization.events.js';
import type {
  IdentitySendAsDenied,
  OutboundMessageFailed,
  OutboundMessageSent,
} from './outbound.events.js';
import type { SenderProfilePaceChanged } from './sender-profile.events.js';

/**
 * The published language between modules: event name → payload (ids and small facts). The
 * payload types live here, one file per publishing module, so a publisher and its listeners
 * in any layer import them without an upward dependency.
 */
export interface DomainEventMap {
  'mailbox.connected': MailboxConnected;
  'mailbox.reauth-required': MailboxReauthRequired;
  'mailbox.disconnected': MailboxDisconnected;
  'mailbox.app-access-refused': MailboxAppAccessRefused;
  'identity.discovered': IdentityDiscovered;
  'identity.removed': IdentityRemoved;
  'identity.send-as-denied': IdentitySendAsDenied;
  'outbound.message-sent': OutboundMessageSent;
  'outbound.message-failed': OutboundMessageFailed;
  'inbound.suppression-detected': InboundSuppressionDetected;
  'sender-profile.pace-changed': SenderProfilePaceChanged;
  'organization.consent-granted': OrganizationConsentGranted;
  'organization.consent-revoked': OrganizationConsentRevoked;
}

export type DomainEventName = keyof DomainEventMap & string;

/** Delivery metadata passed to listeners as their second argument (for idempotency). */
export interface EventMeta {
  eventId: string;
  name: string;
  occurredAt: Date;
  attempt: number;
}
