import type { EmulatorContext } from '../context.js';
import { newGuid } from '../ids.js';
import type { MailMessage, Recipient, SentMailRecord } from '../mail-model.js';
import type { User } from '../model.js';
import {
  headerValue,
  newConversationId,
  newInternetMessageId,
  transportHeaders,
  type HeaderInput,
} from './headers.js';
import type { NewMessage } from '../store/mail.js';
import type { OutgoingMessage } from './outgoing.js';
import { graphRuntime } from './runtime.js';
import type { SendingIdentity } from './sender.js';

export interface Thread {
  conversationId: string;
  inReplyTo?: string;
  references?: string[];
}

/** The thread a reply to `original` belongs to. */
export function threadOf(original: MailMessage): Required<Thread> {
  const prior =
    headerValue(original.internetMessageHeaders, 'References')?.split(/\s+/).filter(Boolean) ?? [];
  return {
    conversationId: original.conversationId,
    inReplyTo: original.internetMessageId,
    references: [
      ...prior.filter((r) => r !== original.internetMessageId),
      original.internetMessageId,
    ],
  };
}

/** A message accepted for sending (sendMail, reply, send of a draft). */
export interface Submission {
  operation: string;
  mailbox: User;
  actorUserId: string | null;
  clientId: string;
  identity: SendingIdentity;
  message: OutgoingMessage;
  saveToSentItems: boolean;
  /** Replies: the conversation to stay in and the In-Reply-To/References to send. */
  thread?: Thread;
  /** Sending a draft: it moves to Sent Items instead of a new copy being made. */
  draftId?: string;
}

/**
 * Exchange transport in miniature: a copy in the sending mailbox's Sent Items, a copy in the
 * inbox of every recipient (primary or alias address, case-insensitive) that lives in the
 * emulator, and an entry in the sent log. Change notifications follow from the store's events.
 *
 * Extended properties the sender set (`singleValueExtendedProperties`) stay on the sender's own
 * items only (the draft and the Sent Items copy). Custom named MAPI properties are store data,
 * not message content: they do not reach recipients outside the organization (MIME carries
 * none of them), and whether Exchange's TNEF keeps some of them inside an organization depends
 * on transport settings. Clients must not rely on them at the recipient, so the emulator never
 * copies them to recipients' inboxes; a crash-safe "did I already send this?" marker is looked
 * up in the sender's Sent Items.
 */
export function submitMessage(ctx: EmulatorContext, s: Submission): SentMailRecord {
  const now = ctx.store.clock.now();
  const headerInput = buildHeaderInput(s, now);
  const sentItemId = s.saveToSentItems || s.draftId ? saveSentCopy(ctx, s, headerInput) : null;
  const { deliveredTo, external } = deliverToRecipients(ctx, s, headerInput);
  const record: SentMailRecord = {
    id: newGuid(),
    operation: s.operation,
    mailboxId: s.mailbox.id,
    actorUserId: s.actorUserId,
    clientId: s.clientId,
    from: { ...s.identity.from.emailAddress },
    sender: { ...s.identity.sender.emailAddress },
    toRecipients: addresses(s.message.toRecipients),
    ccRecipients: addresses(s.message.ccRecipients),
    bccRecipients: addresses(s.message.bccRecipients),
    replyTo: addresses(s.message.replyTo),
    subject: s.message.subject,
    body: { ...s.message.body },
    internetMessageId: headerInput.internetMessageId,
    conversationId: headerInput.conversationId,
    internetMessageHeaders: transportHeaders(headerInput, false),
    sentItemId,
    deliveredTo,
    externalRecipients: external,
    at: now.toISOString(),
  };
  ctx.store.mail.recordSend(record);
  return record;
}

function buildHeaderInput(s: Submission, date: Date): HeaderInput {
  return {
    from: s.identity.from,
    sender: s.identity.sender,
    to: s.message.toRecipients,
    cc: s.message.ccRecipients,
    replyTo: s.message.replyTo,
    subject: s.message.subject,
    internetMessageId: newInternetMessageId(),
    conversationId: s.thread?.conversationId ?? newConversationId(),
    date,
    contentType: s.message.body.contentType,
    inReplyTo: s.thread?.inReplyTo,
    references: s.thread?.references,
    extra: s.message.internetMessageHeaders,
  };
}

function saveSentCopy(ctx: EmulatorContext, s: Submission, h: HeaderInput): string {
  const sent: NewMessage = {
    ...commonFields(s, h),
    bccRecipients: s.message.bccRecipients,
    internetMessageHeaders: transportHeaders(h, false),
    singleValueExtendedProperties: s.message.singleValueExtendedProperties,
    parentFolderId: 'sentitems',
    isRead: true,
    isDraft: false,
  };
  if (s.draftId) return ctx.store.mail.updateMessage(s.mailbox.id, s.draftId, sent).id;
  const delayMs = graphRuntime(ctx).settings.sentItemsDelayMs;
  if (delayMs <= 0) return ctx.store.mail.addMessage(s.mailbox.id, sent).id;
  return fileLater(ctx, s.mailbox.id, sent, delayMs);
}

/** Exchange files the Sent Items copy late: it is invisible until then (then notified). */
function fileLater(ctx: EmulatorContext, userId: string, copy: NewMessage, delayMs: number) {
  const id = ctx.store.mail.addMessageLater(userId, copy, ctx.store.clock.nowMs() + delayMs);
  setTimeout(() => ctx.store.mail.fileDue(userId), delayMs).unref();
  return id;
}

function deliverToRecipients(ctx: EmulatorContext, s: Submission, h: HeaderInput) {
  const deliveredTo: SentMailRecord['deliveredTo'] = [];
  const external: string[] = [];
  const seen = new Set<string>();
  for (const r of [
    ...s.message.toRecipients,
    ...s.message.ccRecipients,
    ...s.message.bccRecipients,
  ]) {
    const address = r.emailAddress.address;
    const user = ctx.store.directory.findUserByAddress(address);
    if (!user || !user.hasMailbox || !ctx.store.mail.hasMailbox(user.id)) {
      external.push(address);
      continue;
    }
    if (seen.has(user.id)) continue;
    seen.add(user.id);
    const copy = ctx.store.mail.addMessage(user.id, {
      ...commonFields(s, h),
      internetMessageHeaders: transportHeaders(h, true),
      parentFolderId: 'inbox',
    });
    deliveredTo.push({ address, userId: user.id, messageId: copy.id });
  }
  return { deliveredTo, external };
}

function commonFields(s: Submission, h: HeaderInput) {
  const at = h.date.toISOString();
  return {
    subject: s.message.subject,
    body: { ...s.message.body },
    from: s.identity.from,
    sender: s.identity.sender,
    toRecipients: s.message.toRecipients,
    ccRecipients: s.message.ccRecipients,
    bccRecipients: [] as Recipient[],
    replyTo: s.message.replyTo,
    internetMessageId: h.internetMessageId,
    conversationId: h.conversationId,
    sentDateTime: at,
    receivedDateTime: at,
  };
}

function addresses(list: Recipient[]) {
  return list.map((r) => ({ ...r.emailAddress }));
}
