/** Per-app, per-mailbox Outlook limits (Graph's defaults: 4 concurrent, 10,000 per 10 min). */
export interface ThrottleSettings {
  /** Concurrent requests one app may have against one mailbox. */
  mailboxConcurrency: number;
  /** Requests one app may make against one mailbox per window. */
  mailboxRequestsPerWindow: number;
  windowMs: number;
  /** `Retry-After` (seconds) of a MailboxConcurrency 429. */
  concurrencyRetryAfterSeconds: number;
}

export interface NotificationSettings {
  /**
   * Accept `http://` notification URLs on loopback hosts (127.0.0.1, localhost, [::1]): the
   * service under test listens on plain http. Other http URLs are always refused.
   */
  allowHttpLoopback: boolean;
  /** How long the receiver has to answer the validation handshake (Graph: 10 s). */
  validationTimeoutMs: number;
  /** How long a receiver has to answer a notification before it counts as failed. */
  deliveryTimeoutMs: number;
  /** Delay before each retry of a failed notification; its length is the retry limit. */
  retryDelaysMs: number[];
  /** Longest lifetime of a subscription to Outlook messages (10,080 min per current docs). */
  maxMessageSubscriptionMinutes: number;
}

export interface GraphSettings {
  throttle: ThrottleSettings;
  notifications: NotificationSettings;
  /** Exchange Online's recipient limit per message (admins may set 1–1000). */
  maxRecipientsPerMessage: number;
  /** Requests per `$batch` (Graph: 20). */
  maxBatchRequests: number;
  /** Delay before a sent message's copy shows in Sent Items (Exchange files it late); 0 = none. */
  sentItemsDelayMs: number;
}

/** Partial settings, as start options or a control call give them. */
export interface GraphOptions {
  throttle?: Partial<ThrottleSettings>;
  notifications?: Partial<NotificationSettings>;
  maxRecipientsPerMessage?: number;
  maxBatchRequests?: number;
  sentItemsDelayMs?: number;
}

const MINUTE = 60_000;

export function defaultGraphSettings(): GraphSettings {
  return {
    throttle: {
      mailboxConcurrency: 4,
      mailboxRequestsPerWindow: 10_000,
      windowMs: 10 * MINUTE,
      concurrencyRetryAfterSeconds: 1,
    },
    notifications: {
      allowHttpLoopback: true,
      validationTimeoutMs: 10_000,
      deliveryTimeoutMs: 3_000,
      // Graph retries with exponential backoff for up to 4 hours.
      retryDelaysMs: [1, 2, 4, 8, 16, 32, 64, 120].map((m) => m * MINUTE),
      maxMessageSubscriptionMinutes: 10_080,
    },
    maxRecipientsPerMessage: 500,
    maxBatchRequests: 20,
    sentItemsDelayMs: 0,
  };
}

/** Applies options on top of settings (only the fields given change). */
export function mergeGraphSettings(base: GraphSettings, options: GraphOptions = {}): GraphSettings {
  return {
    throttle: { ...base.throttle, ...options.throttle },
    notifications: {
      ...base.notifications,
      ...options.notifications,
      retryDelaysMs: [
        ...(options.notifications?.retryDelaysMs ?? base.notifications.retryDelaysMs),
      ],
    },
    maxRecipientsPerMessage: options.maxRecipientsPerMessage ?? base.maxRecipientsPerMessage,
    maxBatchRequests: options.maxBatchRequests ?? base.maxBatchRequests,
    sentItemsDelayMs: options.sentItemsDelayMs ?? base.sentItemsDelayMs,
  };
}
