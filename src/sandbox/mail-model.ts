/** Graph v1.0 mail shapes held by the emulator's store (see store/mail.ts). */

export interface EmailAddress {
  name: string;
  address: string;
}

export interface Recipient {
  emailAddress: EmailAddress;
}

export interface ItemBody {
  contentType: 'text' | 'html';
  content: string;
}

export interface MessageHeader {
  name: string;
  value: string;
}

/**
 * A single-value extended property (a MAPI property) on an item. `id` is kept in the canonical
 * form Graph answers with (see graph/extended-properties.ts); `value` is always a string.
 */
export interface SingleValueExtendedProperty {
  id: string;
  value: string;
}

export interface MessageFlag {
  flagStatus: 'notFlagged' | 'flagged' | 'complete';
}

export type WellKnownFolder = 'inbox' | 'sentitems' | 'drafts' | 'deleteditems';

export interface MailFolder {
  id: string;
  displayName: string;
  wellKnownName: WellKnownFolder | null;
  parentFolderId: string | null;
}

export interface MailMessage {
  /** Immutable id: never changes when the message moves. */
  id: string;
  internetMessageId: string;
  conversationId: string;
  changeKey: string;
  from: Recipient | null;
  sender: Recipient | null;
  toRecipients: Recipient[];
  ccRecipients: Recipient[];
  bccRecipients: Recipient[];
  replyTo: Recipient[];
  subject: string;
  body: ItemBody;
  bodyPreview: string;
  internetMessageHeaders: MessageHeader[];
  /** Set through `singleValueExtendedProperties`; only returned via `$expand`. */
  singleValueExtendedProperties: SingleValueExtendedProperty[];
  receivedDateTime: string;
  sentDateTime: string | null;
  createdDateTime: string;
  lastModifiedDateTime: string;
  isRead: boolean;
  isDraft: boolean;
  /** Outlook categories (set with PATCH on any message). */
  categories?: string[];
  /** Follow-up flag (set with PATCH on any message). */
  flag?: MessageFlag;
  /** Folder id; the well-known folders use their well-known name as id. */
  parentFolderId: string;
  /** Monotonic per-mailbox change number: the basis for delta tokens. */
  changeSeq: number;
}

/** A removed message, kept so delta queries can report `@removed`. */
export interface MessageTombstone {
  id: string;
  parentFolderId: string;
  changeSeq: number;
}

export interface Subscription {
  id: string;
  resource: string;
  changeType: string;
  notificationUrl: string;
  lifecycleNotificationUrl: string | null;
  clientState: string | null;
  expirationDateTime: string;
  /** Client id of the app that created it. */
  applicationId: string;
  /** Signed-in user for delegated subscriptions; null for app-only. */
  creatorId: string | null;
  tenantId: string;
  createdAt: string;
  /** The mailbox and folder the resource names. */
  target: SubscriptionTarget;
}

/** What a subscription watches, resolved from its `resource` when it was created. */
export interface SubscriptionTarget {
  /** The mailbox owner (user object id). */
  mailboxUserId: string;
  /** Folder id, or null for every message of the mailbox (`/messages`). */
  folderId: string | null;
}

/** One send through Graph (sendMail, reply, send of a draft), as the emulator recorded it. */
export interface SentMailRecord {
  id: string;
  /** `sendMail`, `reply`, `replyAll`, `send` (a draft). */
  operation: string;
  /** The mailbox whose sendMail/reply/send was called (user object id). */
  mailboxId: string;
  /** Signed-in user of a delegated token; null for app-only. */
  actorUserId: string | null;
  clientId: string;
  from: EmailAddress;
  sender: EmailAddress;
  toRecipients: EmailAddress[];
  ccRecipients: EmailAddress[];
  bccRecipients: EmailAddress[];
  replyTo: EmailAddress[];
  subject: string;
  body: ItemBody;
  internetMessageId: string;
  conversationId: string;
  internetMessageHeaders: MessageHeader[];
  /** Id of the copy in the sending mailbox's Sent Items; null when not saved. */
  sentItemId: string | null;
  /** Copies placed in mailboxes of the emulator. */
  deliveredTo: Array<{ address: string; userId: string; messageId: string }>;
  /** Recipients that live outside the emulator (accepted, not delivered anywhere). */
  externalRecipients: string[];
  at: string;
}

export interface SentMailFilter {
  /** User object id of the sending mailbox. */
  mailboxId?: string;
  /** Matches the from address (case-insensitive). */
  from?: string;
  since?: Date;
}

export interface DeliveryAttempt {
  at: string;
  /** HTTP status, or null when the receiver did not answer (timeout, refused). */
  status: number | null;
  error: string | null;
  durationMs: number;
}

export type NotificationKind = 'change' | 'lifecycle';

export type DeliveryState = 'pending' | 'delivered' | 'failed' | 'dropped';

/** A change or lifecycle notification and every attempt to deliver it. */
export interface NotificationDelivery {
  id: string;
  subscriptionId: string;
  kind: NotificationKind;
  /** `created`/`updated`/`deleted` for change notifications. */
  changeType: string | null;
  /** `reauthorizationRequired`, `subscriptionRemoved` or `missed` for lifecycle ones. */
  lifecycleEvent: string | null;
  url: string;
  /** The notification collection POSTed (`{ value: [...] }`). */
  payload: unknown;
  /** `dropped` = skipped on purpose (control), `failed` = retries exhausted. */
  state: DeliveryState;
  attempts: DeliveryAttempt[];
  createdAt: string;
  completedAt: string | null;
}

export interface DeliveryFilter {
  subscriptionId?: string;
  kind?: NotificationKind;
  state?: DeliveryState;
}
