import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../common/config/app-config.js';
import { graphFailureOf } from '../../common/microsoft/graph-error.js';
import { OutboxService } from '../../common/events/outbox.service.js';
import { MailboxGraphService, type MailboxAddress } from '../mailbox/mailbox-graph.service.js';
import { underLimits, type Recipient } from './outbound.rules.js';
import { ReplyRepository } from './reply.repository.js';
import { MARKER_PROPERTY } from './send-mail.client.js';
import { SentItemsChecker, type SentCopy } from './sent-items.checker.js';

export type { SentCopy } from './sent-items.checker.js';

export interface ReplyMailbox extends MailboxAddress {
  email: string;
}

/** An in-thread reply to book and send from a mailbox. */
export interface ReplyRequest {
  /** Stable id of what is answered (one reply per key, however often asked). */
  key: string;
  workspaceId: string;
  mailbox: ReplyMailbox;
  /** The mailbox's identity the reply goes out as (its primary address). */
  identityId: string;
  /** Graph id of the message replied to. */
  graphMessageId: string;
  to: Recipient;
  subject: string;
  text: string;
  /** Our id on the reply (the same named property as outbound sends carry). */
  marker: string;
  /** Custom `x-` headers for the reply. */
  headers: { name: string; value: string }[];
}

export type Booking = { outboundMessageId: string } | { retryAt: Date };

/** The ids of a sent message as the sent-details job left them. */
export type SentDetails =
  | { state: 'stored'; internetMessageId: string; conversationId: string | null }
  /** The job still looks for the Sent Items copy. */
  | { state: 'pending' }
  /** The job gave up (or the message never went out): the ids stay unknown. */
  | { state: 'unknown' };

/**
 * In-thread replies (inbound AI) with the sending guarantees of the outbound queue: each reply is
 * booked as an outbound_message under the mailbox's lock, so Exchange's per-mailbox limits count
 * it with every other send, and it carries a marker, so a reply interrupted by a crash is looked
 * up in Drafts and Sent Items before anything is sent again. Graph: createReply, then send.
 */
@Injectable()
export class ReplyService {
  private readonly logger = new Logger(ReplyService.name);

  constructor(
    private readonly replies: ReplyRepository,
    private readonly graph: MailboxGraphService,
    private readonly sentItems: SentItemsChecker,
    private readonly outbox: OutboxService,
    private readonly config: AppConfig,
  ) {}

  /** Books the reply's slot (idempotent per key), or says when the mailbox has room again. */
  reserve(request: ReplyRequest, outboundMessageId: string): Promise<Booking> {
    const key = `inbound-reply:${request.key}`;
    const windowMs =
      this.config.outbound.mailboxWindowMs + this.config.outbound.mailboxWindowMarginMs;
    return this.replies.inTransaction(async (tx) => {
      await this.replies.lockMailbox(tx, request.mailbox.id);
      const existing = await this.replies.findByKey(tx, request.workspaceId, key);
      if (existing) return { outboundMessageId: existing.id };
      const usage = await this.replies.usage(tx, request.mailbox.id, windowMs);
      const limits = {
        messagesPerWindow: this.config.outbound.mailboxMessagesPerWindow,
        recipientsPerDay: this.config.outbound.mailboxRecipientsPerDay,
      };
      if (!underLimits(usage, 1, limits)) {
        const wait = await this.replies.windowFreesInMs(tx, request.mailbox.id, windowMs);
        return { retryAt: new Date(Date.now() + Math.max(wait, 1000)) };
      }
      await this.replies.insertBooked(tx, {
        id: outboundMessageId,
        workspaceId: request.workspaceId,
        mailboxId: request.mailbox.id,
        identityId: request.identityId,
        fromEmail: request.mailbox.email,
        to: request.to,
        subject: request.subject,
        textBody: request.text,
        idempotencyKey: key,
        marker: request.marker,
      });
      return { outboundMessageId };
    });
  }

  /** The reply's copy in Sent Items, if it went out. Throws when Sent Items cannot be read. */
  findSent(mailbox: ReplyMailbox, marker: string): Promise<SentCopy | undefined> {
    return this.sentItems.find(mailbox.id, marker);
  }

  /** The draft already made for this marker (a reply interrupted before it was sent). */
  async findDraft(request: ReplyRequest): Promise<string | undefined> {
    const { client, path } = await this.graph.forMailbox(request.mailbox);
    const filter = `singleValueExtendedProperties/Any(ep: ep/id eq '${MARKER_PROPERTY}' and ep/value eq '${request.marker}')`;
    const found = (await client
      .api(`${path}/mailFolders/drafts/messages`)
      .filter(filter)
      .select('id')
      .top(1)
      .get()) as { value?: { id: string }[] };
    return found.value?.[0]?.id;
  }

  /** createReply: a draft in the thread, to the given recipient only, with our marker. */
  async createDraft(request: ReplyRequest): Promise<string> {
    // Through `call`: a refused token (401) is renewed once; an organization's 403s are judged.
    const draft = (await this.graph.call(request.mailbox, ({ client, path }) =>
      client
        .api(`${path}/messages/${encodeURIComponent(request.graphMessageId)}/createReply`)
        .header('Prefer', 'IdType="ImmutableId"')
        .post({
          comment: request.text,
          message: {
            toRecipients: [{ emailAddress: { address: request.to.email, name: request.to.name } }],
            internetMessageHeaders: request.headers,
            singleValueExtendedProperties: [{ id: MARKER_PROPERTY, value: request.marker }],
          },
        }),
    )) as { id: string };
    return draft.id;
  }

  /**
   * Replaces a draft's body with a person's edited text (PATCH of the draft; Graph allows body
   * updates only while the message is a draft).
   */
  async updateDraftBody(mailbox: ReplyMailbox, draftId: string, text: string): Promise<void> {
    await this.graph.call(mailbox, ({ client, path }) =>
      client
        .api(`${path}/messages/${encodeURIComponent(draftId)}`)
        .patch({ body: { contentType: 'text', content: text } }),
    );
  }

  /** Deletes a draft (Graph moves it to Deleted Items); a draft already gone is fine. */
  async deleteDraft(mailbox: ReplyMailbox, draftId: string): Promise<void> {
    try {
      // No retries in place: a person waits on it; the inbound pipeline retries a failed one.
      await this.graph.call(
        mailbox,
        ({ client, path }) =>
          client.api(`${path}/messages/${encodeURIComponent(draftId)}`).delete(),
        { retries: 0 },
      );
    } catch (error) {
      if (graphFailureOf(error).status !== 404) throw error;
    }
  }

  /**
   * The mailbox's sent messages of a conversation (newest 50), each with its sent time and our
   * marker (null on a message sent from Outlook by a person).
   */
  async sentInConversation(
    mailbox: ReplyMailbox,
    conversationId: string,
  ): Promise<{ sentAt: Date | null; marker: string | null }[]> {
    const escaped = conversationId.replace(/'/g, "''");
    const page = (await this.graph.call(mailbox, ({ client, path }) =>
      client
        .api(`${path}/mailFolders/sentitems/messages`)
        .filter(`conversationId eq '${escaped}'`)
        .select('id,sentDateTime')
        .expand(`singleValueExtendedProperties($filter=id eq '${MARKER_PROPERTY}')`)
        .top(50)
        .get(),
    )) as {
      value?: {
        sentDateTime?: string | null;
        singleValueExtendedProperties?: { id: string; value: string }[];
      }[];
    };
    return (page.value ?? []).map((m) => ({
      sentAt: m.sentDateTime ? new Date(m.sentDateTime) : null,
      marker: m.singleValueExtendedProperties?.[0]?.value ?? null,
    }));
  }

  /** Sends the draft (Graph 202). Not retried in place: the caller checks Sent Items first. */
  async sendDraft(mailbox: ReplyMailbox, draftId: string): Promise<void> {
    await this.graph.call(
      mailbox,
      ({ client, path }) =>
        client.api(`${path}/messages/${encodeURIComponent(draftId)}/send`).post({}),
      { retries: 0 },
    );
  }

  /** Records the reply as sent (once) with `outbound.message-sent`. */
  async recordSent(outboundMessageId: string, copy: SentCopy = {}): Promise<void> {
    await this.replies.inTransaction(async (tx) => {
      const checkAt = new Date(Date.now() + this.config.outbound.sentItemsSettleMs);
      const row = await this.replies.markSent(tx, outboundMessageId, copy, checkAt);
      if (!row?.mailboxId || !row.identityId) return;
      await this.outbox.record(tx, 'outbound.message-sent', {
        messageId: outboundMessageId,
        workspaceId: row.workspaceId,
        identityId: row.identityId,
        mailboxId: row.mailboxId,
        conversationId: copy.conversationId ?? null,
      });
    });
  }

  /** The reply did not go out: its slot is released. */
  async recordFailed(outboundMessageId: string, code: string, message: string): Promise<void> {
    await this.replies.markFailed(outboundMessageId, { code, message });
    this.logger.warn({ outboundMessageId, code }, 'reply not sent');
  }

  /**
   * internetMessageId and conversationId of sent outbound messages as stored by the sent-details
   * job (which reads every sent message's Sent Items copy): how replies to them are recognised.
   * No Graph call; an id not found is `unknown`.
   */
  async sentDetailsOf(outboundMessageIds: string[]): Promise<Map<string, SentDetails>> {
    const rows = await this.replies.findSentFacts(outboundMessageIds);
    const found = new Map(rows.map((row) => [row.id, row]));
    return new Map(
      outboundMessageIds.map((id): [string, SentDetails] => {
        const row = found.get(id);
        if (row?.internetMessageId)
          return [
            id,
            {
              state: 'stored',
              internetMessageId: row.internetMessageId,
              conversationId: row.conversationId,
            },
          ];
        return [id, row?.detailsCheckAt ? { state: 'pending' } : { state: 'unknown' }];
      }),
    );
  }
}
