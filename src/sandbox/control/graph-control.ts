import type { EmulatorContext } from '../context.js';
import { newConversationId, newInternetMessageId, transportHeaders } from '../graph/headers.js';
import type { LifecycleEvent } from '../graph/notifier.js';
import { graphRuntime } from '../graph/runtime.js';
import { parseRfc5322 } from '../graph/rfc5322.js';
import { primaryRecipient } from '../graph/sender.js';
import type { GraphOptions, GraphSettings, ThrottleSettings } from '../graph/settings.js';
import type {
  DeliveryFilter,
  EmailAddress,
  ItemBody,
  MailMessage,
  MessageHeader,
  NotificationDelivery,
  Recipient,
  SentMailRecord,
  Subscription,
} from '../mail-model.js';
import type { User } from '../model.js';
import { resolveUser } from '../seed.js';

/** An address as a string (`a@b.com`) or `{ address, name? }`. */
export type AddressSpec = string | { address: string; name?: string };

/** Mail arriving from outside (or anywhere) into one mailbox, with any headers. */
export interface InboundMailSpec {
  /** The receiving mailbox: user id or any of its addresses. */
  mailbox: string;
  from: AddressSpec;
  /** Defaults to the mailbox's primary address. */
  to?: AddressSpec[];
  cc?: AddressSpec[];
  replyTo?: AddressSpec[];
  subject: string;
  /** Text, or a Graph itemBody. */
  body?: string | ItemBody;
  /** Added after the standard headers; replaces standard ones of the same name. */
  internetMessageHeaders?: MessageHeader[];
  internetMessageId?: string;
  /** Defaults to the conversation of the message `inReplyTo` names, else a new one. */
  conversationId?: string;
  inReplyTo?: string;
  references?: string[];
  /** Well-known name or folder id; default `inbox`. */
  folder?: string;
  isRead?: boolean;
}

export interface SentMailQuery {
  /** Sending mailbox: user id or any of its addresses. */
  mailbox?: string;
  from?: string;
  since?: Date;
}

/**
 * Control operations of the Graph surface: inbound mail, the sent log, messages, subscriptions
 * and their notifications, and the Graph settings (throttling, notification timings, limits).
 * Reached as `EmulatorControl.graph` and over HTTP under `/_emulator`.
 */
export class GraphControl {
  constructor(private readonly ctx: EmulatorContext) {}

  settings(): GraphSettings {
    return graphRuntime(this.ctx).settings;
  }

  /** Changes Graph settings at run time (until the next reset). */
  configure(options: GraphOptions): GraphSettings {
    return graphRuntime(this.ctx).configure(options);
  }

  setThrottling(limits: Partial<ThrottleSettings>): ThrottleSettings {
    return this.configure({ throttle: limits }).throttle;
  }

  /**
   * Delay before a sent message's copy (sendMail, reply, replyAll) becomes visible in the
   * sender's Sent Items: until then listings, filters, delta and `GET` by id do not show it.
   * Sending a draft still moves it at once. 0 (the default) files copies immediately.
   */
  setSentItemsDelayMs(ms: number): number {
    if (!Number.isFinite(ms) || ms < 0) throw new Error('ms must be a number ≥ 0');
    return this.configure({ sentItemsDelayMs: ms }).sentItemsDelayMs;
  }

  /** Starts every app+mailbox request budget afresh (requests in flight keep their slots). */
  resetThrottling(): void {
    graphRuntime(this.ctx).throttle.clearBudgets();
  }

  /** Places a message in a mailbox as if delivered from outside; notifications follow. */
  injectInbound(spec: InboundMailSpec): MailMessage {
    const user = this.mailboxOf(spec.mailbox);
    const folder = this.ctx.store.mail.findFolder(user.id, spec.folder ?? 'inbox');
    if (!folder) throw new Error(`Unknown folder ${spec.folder}`);
    const date = this.ctx.store.clock.now();
    const from = recipient(spec.from);
    const fields = {
      subject: spec.subject,
      body:
        typeof spec.body === 'object'
          ? spec.body
          : { contentType: 'text' as const, content: spec.body ?? '' },
      from,
      sender: from,
      toRecipients: spec.to?.map(recipient) ?? [primaryRecipient(user)],
      ccRecipients: spec.cc?.map(recipient) ?? [],
      replyTo: spec.replyTo?.map(recipient) ?? [],
      internetMessageId: spec.internetMessageId ?? newInternetMessageId(),
      conversationId:
        spec.conversationId ?? this.threadConversation(user, spec.inReplyTo) ?? newConversationId(),
      receivedDateTime: date.toISOString(),
      sentDateTime: date.toISOString(),
      parentFolderId: folder.id,
      isRead: spec.isRead ?? false,
    };
    const internetMessageHeaders = transportHeaders(
      {
        ...fields,
        to: fields.toRecipients,
        cc: fields.ccRecipients,
        date,
        contentType: fields.body.contentType,
        inReplyTo: spec.inReplyTo,
        references: spec.references ?? (spec.inReplyTo ? [spec.inReplyTo] : undefined),
        extra: spec.internetMessageHeaders ?? [],
      },
      true,
    );
    return this.ctx.store.mail.addMessage(user.id, { ...fields, internetMessageHeaders });
  }

  /**
   * Delivers a raw RFC 5322 message (MIME allowed) into a mailbox as Exchange would: its headers
   * become `internetMessageHeaders` (after a Received line), From/To/Cc/Reply-To/Subject,
   * Message-ID, In-Reply-To and References are read from them, the body is the first text/plain
   * part (else text/html). Notifications follow.
   */
  injectRaw(mailbox: string, raw: string, folder?: string): MailMessage {
    if (typeof raw !== 'string' || raw.trim() === '') throw new Error('raw must be a message');
    const mail = parseRfc5322(raw);
    if (!mail.from) throw new Error('the message has no From address');
    const address = (a: { address: string; name?: string }) => ({ ...a });
    return this.injectInbound({
      mailbox,
      from: address(mail.from),
      to: mail.to.length ? mail.to.map(address) : undefined,
      cc: mail.cc.map(address),
      replyTo: mail.replyTo.map(address),
      subject: mail.subject,
      body: mail.body,
      internetMessageHeaders: mail.headers,
      internetMessageId: mail.messageId,
      inReplyTo: mail.inReplyTo,
      references: mail.references.length ? mail.references : undefined,
      folder,
    });
  }

  /** What was sent through Graph, oldest first. */
  sentMail(query: SentMailQuery = {}): SentMailRecord[] {
    const mailboxId = query.mailbox ? this.mailboxOf(query.mailbox).id : undefined;
    return this.ctx.store.mail.sentLog({ mailboxId, from: query.from, since: query.since });
  }

  messages(mailbox: string, folder?: string): MailMessage[] {
    const user = this.mailboxOf(mailbox);
    const folderId = folder
      ? (this.ctx.store.mail.findFolder(user.id, folder)?.id ?? folder)
      : undefined;
    return this.ctx.store.mail.listMessages(user.id, folderId);
  }

  message(mailbox: string, id: string): MailMessage {
    const found = this.ctx.store.mail.getMessage(this.mailboxOf(mailbox).id, id);
    if (!found) throw new Error(`Unknown message ${id}`);
    return found;
  }

  /** Removes a message for good (delta reports it as `@removed`). */
  deleteMessage(mailbox: string, id: string): boolean {
    return this.ctx.store.mail.removeMessage(this.mailboxOf(mailbox).id, id);
  }

  moveMessage(mailbox: string, id: string, folder: string): MailMessage {
    const user = this.mailboxOf(mailbox);
    const target = this.ctx.store.mail.findFolder(user.id, folder);
    if (!target) throw new Error(`Unknown folder ${folder}`);
    return this.ctx.store.mail.updateMessage(user.id, id, { parentFolderId: target.id });
  }

  /** Exchange FullAccess: the trustee may read/write the mailbox with `.Shared` scopes. */
  grantFullAccess(trustee: string, mailbox: string): void {
    this.ctx.store.mail.grantFullAccess(this.user(trustee).id, this.mailboxOf(mailbox).id);
  }

  revokeFullAccess(trustee: string, mailbox: string): void {
    this.ctx.store.mail.revokeFullAccess(this.user(trustee).id, this.mailboxOf(mailbox).id);
  }

  /** Voids the mailbox's delta tokens: the next delta call with one answers 410. */
  expireDeltaTokens(mailbox: string): void {
    this.ctx.store.mail.resetSyncState(this.mailboxOf(mailbox).id);
  }

  subscriptions(): Subscription[] {
    return this.ctx.store.subscriptions.list();
  }

  notifications(filter: DeliveryFilter = {}): NotificationDelivery[] {
    return this.ctx.store.subscriptions.deliveries(filter);
  }

  /** Removes a subscription as Graph does, telling its lifecycle URL (`subscriptionRemoved`). */
  removeSubscription(id: string): Promise<NotificationDelivery | null> {
    return this.sendLifecycleEvent(id, 'subscriptionRemoved');
  }

  /** Sends a lifecycle notification; `subscriptionRemoved` also removes the subscription. */
  async sendLifecycleEvent(
    id: string,
    event: LifecycleEvent,
  ): Promise<NotificationDelivery | null> {
    const sub = this.ctx.store.subscriptions.get(id);
    if (!sub) throw new Error(`Unknown subscription ${id}`);
    if (!['reauthorizationRequired', 'subscriptionRemoved', 'missed'].includes(event))
      throw new Error(`Unknown lifecycle event ${event}`);
    if (event === 'subscriptionRemoved') this.ctx.store.subscriptions.remove(id);
    return graphRuntime(this.ctx).notifier.notifyLifecycle(sub, event);
  }

  /**
   * The next `count` change notifications (of one subscription, or of any) are not delivered;
   * they are recorded as `dropped`. Pair with a `missed` lifecycle event, as Graph does.
   */
  dropNextNotifications(count: number, subscriptionId?: string): void {
    this.ctx.store.subscriptions.dropNext(count, subscriptionId);
  }

  private user(idOrAddress: string): User {
    return resolveUser(this.ctx.store, idOrAddress);
  }

  private mailboxOf(idOrAddress: string): User {
    const user = this.user(idOrAddress);
    if (!this.ctx.store.mail.hasMailbox(user.id))
      throw new Error(`User ${idOrAddress} has no mailbox`);
    return user;
  }

  private threadConversation(user: User, inReplyTo: string | undefined): string | undefined {
    if (!inReplyTo) return undefined;
    return this.ctx.store.mail.findByInternetMessageId(user.id, inReplyTo)[0]?.conversationId;
  }
}

function recipient(spec: AddressSpec): Recipient {
  const address: EmailAddress =
    typeof spec === 'string'
      ? { name: spec, address: spec }
      : { name: spec.name ?? spec.address, address: spec.address };
  return { emailAddress: address };
}
