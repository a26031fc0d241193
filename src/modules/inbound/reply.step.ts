import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../common/config/app-config.js';
import { Clock } from '../../common/time/clock.js';
import { graphFailureOf } from '../../common/microsoft/graph-error.js';
import type { MailboxRow } from '../mailbox/mailbox.service.js';
import { ReplyService, type ReplyRequest, type SentCopy } from '../outbound/reply.service.js';
import { AiThreadRepository } from './ai-thread.repository.js';
import { InboundMessageRepository, type InboundMessageRow } from './inbound-message.repository.js';
import { AI_REPLY_HEADER } from './loop-guard.rules.js';

export type ReplyOutcome = 'replied' | 'deferred' | 'failed' | 'drafted' | 'skipped';

/**
 * The reply of one message, crash-safe: the text and a marker are stored with a thread reply
 * slot, the send is booked under the mailbox's limits (outbound ReplyService), and a resumed
 * reply looks for its marker in Sent Items (sent: record it) and Drafts (send that draft) before
 * anything new is made. A reply whose fate is unknown is never made again before Exchange has
 * had time to file it (OUTBOUND_SENT_ITEMS_SETTLE_MS).
 */
@Injectable()
export class ReplyStep {
  private readonly logger = new Logger(ReplyStep.name);

  constructor(
    private readonly messages: InboundMessageRepository,
    private readonly replies: ReplyService,
    private readonly threads: AiThreadRepository,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** Sends (or finishes sending) the stored reply of a message in stage `replying`. */
  async run(
    row: InboundMessageRow,
    mailbox: MailboxRow,
    identityId: string,
    resumed: boolean,
  ): Promise<ReplyOutcome> {
    const request = this.request(row, mailbox, identityId);
    // Only a reply booked in an earlier run may have been sent already.
    const mayHaveSent = resumed && row.replyOutboundId !== null;
    if (!row.replyOutboundId) {
      const booking = await this.replies.reserve(request, randomUUID());
      if ('retryAt' in booking) {
        await this.messages.retryAt(row.id, booking.retryAt, false, 'waiting_for_mailbox_limit');
        return 'deferred';
      }
      row = await this.messages.save(row.id, { replyOutboundId: booking.outboundMessageId });
    }
    if (mayHaveSent) {
      const copy = await this.replies.findSent(mailbox, request.marker);
      if (copy) return this.recordSent(row, copy);
    }
    return this.send(row, mailbox, request, mayHaveSent);
  }

  /**
   * Review mode: the reply saved as a draft in the mailbox's Drafts folder (createReply, with our
   * marker), then left for a person. A resumed step finds its draft by marker: never two drafts.
   */
  async draft(
    row: InboundMessageRow,
    mailbox: MailboxRow,
    identityId: string,
  ): Promise<ReplyOutcome> {
    const request = this.request(row, mailbox, identityId);
    let draftId: string;
    try {
      draftId =
        (await this.replies.findDraft(request)) ?? (await this.replies.createDraft(request));
    } catch (error) {
      return this.draftFailed(row, error);
    }
    this.crashHook('after_draft_created');
    await this.messages.save(row.id, {
      replyDraftId: draftId,
      replyStatus: 'awaiting_review',
      stage: 'awaiting_review',
      lockedUntil: null,
      lockedBy: null,
    });
    this.logger.log(
      { inboundMessageId: row.id, mailboxId: row.mailboxId },
      'AI reply drafted for review',
    );
    return 'drafted';
  }

  /** A discarded review draft: deleted in the mailbox (by id, else by marker), nothing sent. */
  async discardDraft(row: InboundMessageRow, mailbox: MailboxRow): Promise<ReplyOutcome> {
    const draftId =
      row.replyDraftId ?? (await this.replies.findDraft(this.request(row, mailbox, '')));
    if (draftId) await this.replies.deleteDraft(mailbox, draftId);
    await this.messages.finish(row.id, { action: 'discarded', reason: 'reply_discarded' });
    return 'skipped';
  }

  private async send(
    row: InboundMessageRow,
    mailbox: MailboxRow,
    request: ReplyRequest,
    mayHaveSent: boolean,
  ): Promise<ReplyOutcome> {
    let draftId: string | undefined;
    try {
      draftId = await this.replies.findDraft(request);
      if (!draftId && mayHaveSent && !this.settled(row)) return this.waitForSentItems(row);
      draftId ??= await this.replies.createDraft(request);
      // A person's edit (review mode) replaces the draft's body before it goes; PATCH repeats safely.
      if (row.replyEdited) await this.replies.updateDraftBody(mailbox, draftId, request.text);
    } catch (error) {
      return this.draftFailed(row, error);
    }
    this.crashHook('before_reply_send');
    await this.replies.sendDraft(mailbox, draftId);
    this.crashHook('after_reply_send');
    const copy = await this.replies.findSent(mailbox, request.marker).catch(() => undefined);
    return this.recordSent(row, copy ?? {});
  }

  /** No draft left and no sent copy yet: judged "not sent" only once Exchange had time to file it. */
  private settled(row: InboundMessageRow): boolean {
    const booked = row.replyBookedAt?.getTime() ?? 0;
    return this.clock.now().getTime() >= booked + this.config.outbound.sentItemsSettleMs;
  }

  private async waitForSentItems(row: InboundMessageRow): Promise<ReplyOutcome> {
    const booked = row.replyBookedAt?.getTime() ?? this.clock.now().getTime();
    const at = new Date(booked + this.config.outbound.sentItemsSettleMs);
    await this.messages.retryAt(row.id, at, false, 'reply_outcome_unknown_checking_sent_items');
    return 'deferred';
  }

  private async draftFailed(row: InboundMessageRow, error: unknown): Promise<ReplyOutcome> {
    const failure = graphFailureOf(error);
    if (failure.status < 400 || failure.status >= 500 || failure.status === 429) throw error;
    // The message to answer is gone or cannot be answered: the reply will never go out.
    if (row.replyOutboundId)
      await this.replies.recordFailed(
        row.replyOutboundId,
        `graph_${failure.status}_${failure.code}`,
        'reply not possible',
      );
    await this.messages.finish(row.id, {
      action: 'failed',
      replyStatus: 'failed',
      reason: `reply_not_possible:graph_${failure.status}_${failure.code}`,
    });
    return 'failed';
  }

  private async recordSent(row: InboundMessageRow, copy: SentCopy): Promise<ReplyOutcome> {
    if (row.replyOutboundId) await this.replies.recordSent(row.replyOutboundId, copy);
    await this.threads.record({
      id: randomUUID(),
      workspaceId: row.workspaceId,
      mailboxId: row.mailboxId,
      origin: 'reply',
      internetMessageId: copy.internetMessageId ?? null,
      conversationId: copy.conversationId ?? row.conversationId,
      resolvedAt: new Date(),
    });
    await this.messages.finish(row.id, {
      action: 'replied',
      replyStatus: 'sent',
      replySentAt: new Date(),
      replyInternetMessageId: copy.internetMessageId ?? null,
    });
    this.logger.log({ inboundMessageId: row.id, mailboxId: row.mailboxId }, 'AI reply sent');
    return 'replied';
  }

  private request(row: InboundMessageRow, mailbox: MailboxRow, identityId: string): ReplyRequest {
    const subject = row.subject ?? '';
    return {
      key: row.id,
      workspaceId: row.workspaceId,
      mailbox,
      identityId,
      graphMessageId: row.graphMessageId,
      to: { email: row.fromAddress as string, ...(row.fromName ? { name: row.fromName } : {}) },
      subject: /^re:/i.test(subject) ? subject : `RE: ${subject}`,
      text: row.replyText ?? '',
      marker: row.replyMarker as string,
      headers: [
        { name: AI_REPLY_HEADER, value: '1' },
        { name: 'X-Auto-Response-Suppress', value: 'All' },
      ],
    };
  }

  /** Kill tests only (INBOUND_TEST_CRASH, NODE_ENV=test): die here, like a crash would. */
  private crashHook(point: 'after_draft_created' | 'before_reply_send' | 'after_reply_send'): void {
    if (this.config.inbound.testCrash === point) process.kill(process.pid, 'SIGKILL');
  }
}
