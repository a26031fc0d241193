import { Injectable, Logger } from '@nestjs/common';
import { AuditService, auditActor } from '../../common/audit/audit.service.js';
import type { Actor } from '../../common/auth/actor.js';
import { Clock } from '../../common/time/clock.js';
import { MailboxService } from '../mailbox/mailbox.service.js';
import { replyStatusOf } from './dto/ai-reply.dto.js';
import { InboundMessageRepository, type InboundMessageRow } from './inbound-message.repository.js';
import {
  ReplyNotAwaitingReviewError,
  ReplyNotFoundError,
  ReplyNotScheduledError,
} from './inbound.errors.js';
import { commandRefusal, type ReplyCommand } from './reply-policy.rules.js';
import { ReplyStep } from './reply.step.js';

const DISCARD_RETRY_MS = 60_000;

/**
 * A person's say over AI replies: list them, approve (optionally edited) or discard a draft
 * awaiting review, cancel a delayed reply in its undo window. Each command is one conditional
 * update of the reply's status, so however many requests or instances race, one wins and the
 * others get 409; the pipeline sends an approved reply exactly once (marker in Drafts/Sent Items).
 * The winner's audit row (naming the workspace user, or staff acting through the console) is
 * written in the same transaction as the move: a command that lost its race writes none.
 */
@Injectable()
export class AiReplyService {
  private readonly logger = new Logger(AiReplyService.name);

  constructor(
    private readonly messages: InboundMessageRepository,
    private readonly mailboxes: MailboxService,
    private readonly step: ReplyStep,
    private readonly clock: Clock,
    private readonly audit: AuditService,
  ) {}

  async list(
    actor: Actor,
    filter: { mailboxId?: string; status?: string },
    limit: number,
    cursor?: string,
  ): Promise<{ items: InboundMessageRow[]; nextCursor: string | null }> {
    if (filter.mailboxId) await this.mailboxes.get(actor, filter.mailboxId);
    const rows = await this.messages.page(
      actor.workspaceId,
      { mailboxId: filter.mailboxId, replyStatus: filter.status, repliesOnly: true },
      limit + 1,
      cursor,
    );
    const items = rows.slice(0, limit);
    return { items, nextCursor: rows.length > limit ? items[items.length - 1].id : null };
  }

  async get(actor: Actor, id: string): Promise<InboundMessageRow> {
    const row = await this.messages.findInWorkspace(id, actor.workspaceId);
    if (!row?.replyMarker) throw new ReplyNotFoundError();
    return row;
  }

  /** Approves a draft awaiting review; an edited text replaces the draft's body before it goes. */
  async approve(actor: Actor, id: string, text?: string): Promise<InboundMessageRow> {
    await this.expect(actor, id, 'approve');
    const now = this.clock.now();
    const moved = await this.move(
      actor,
      'inbound.reply_approved',
      id,
      { stage: 'awaiting_review', replyStatus: 'awaiting_review' },
      {
        stage: 'replying',
        replyStatus: 'approved',
        replyDecidedAt: now,
        nextAttemptAt: now,
        lockedUntil: null,
        lockedBy: null,
        ...(text !== undefined ? { replyText: text.trim(), replyEdited: true } : {}),
      },
    );
    if (!moved) return this.refuse(actor, id, 'approve');
    this.logger.log({ inboundMessageId: id, edited: text !== undefined }, 'AI reply approved');
    return moved;
  }

  /** Discards a draft awaiting review: the draft is deleted in the mailbox, nothing is sent. */
  async discard(actor: Actor, id: string): Promise<InboundMessageRow> {
    await this.expect(actor, id, 'discard');
    const now = this.clock.now();
    const moved = await this.move(
      actor,
      'inbound.reply_discarded',
      id,
      { stage: 'awaiting_review', replyStatus: 'awaiting_review' },
      {
        stage: 'discarding',
        replyStatus: 'discarded',
        replyDecidedAt: now,
        // The pipeline deletes the draft later if the deletion below does not finish.
        nextAttemptAt: new Date(now.getTime() + DISCARD_RETRY_MS),
      },
    );
    if (!moved) return this.refuse(actor, id, 'discard');
    await this.deleteNow(moved);
    return (await this.messages.findInWorkspace(id, actor.workspaceId)) ?? moved;
  }

  /** Cancels a delayed reply still waiting in its undo window: it is never sent. */
  async cancel(actor: Actor, id: string): Promise<InboundMessageRow> {
    await this.expect(actor, id, 'cancel');
    const now = this.clock.now();
    const moved = await this.move(
      actor,
      'inbound.reply_cancelled',
      id,
      { stage: 'replying', replyStatus: 'scheduled' },
      {
        stage: 'done',
        action: 'cancelled',
        reason: 'reply_cancelled',
        replyStatus: 'cancelled',
        replyDecidedAt: now,
        processedAt: now,
        lockedUntil: null,
        lockedBy: null,
      },
    );
    if (!moved) return this.refuse(actor, id, 'cancel');
    this.logger.log({ inboundMessageId: id }, 'delayed AI reply cancelled');
    return moved;
  }

  /** The conditional move and its audit row, in one transaction (null: lost the race). */
  private move(
    actor: Actor,
    action: string,
    id: string,
    from: Parameters<InboundMessageRepository['transition']>[2],
    data: Parameters<InboundMessageRepository['transition']>[3],
  ): Promise<InboundMessageRow | null> {
    return this.messages.inTransaction(async (tx) => {
      const moved = await this.messages.transition(id, actor.workspaceId, from, data, tx);
      if (!moved) return null;
      await this.audit.record(tx, {
        workspaceId: moved.workspaceId,
        actor: auditActor(actor),
        action,
        target: { type: 'inbound_message', id: moved.id },
        metadata: {
          mailboxId: moved.mailboxId,
          replyMode: moved.replyMode,
          status: moved.replyStatus,
          ...(action === 'inbound.reply_approved' ? { edited: moved.replyEdited } : {}),
        },
      });
      return moved;
    });
  }

  private async deleteNow(row: InboundMessageRow): Promise<void> {
    try {
      const mailbox = await this.mailboxes.findActive(row.mailboxId);
      if (mailbox) await this.step.discardDraft(row, mailbox);
    } catch (error) {
      this.logger.warn(
        { inboundMessageId: row.id, error: (error as Error).message },
        'draft deletion failed; the pipeline retries it',
      );
    }
  }

  private async expect(actor: Actor, id: string, command: ReplyCommand): Promise<void> {
    const row = await this.get(actor, id);
    const refusal = commandRefusal(command, replyStatusOf(row));
    if (refusal) throw errorFor(refusal, replyStatusOf(row));
  }

  /** Lost a race: answered with the state the winner left. */
  private async refuse(actor: Actor, id: string, command: ReplyCommand): Promise<never> {
    const status = replyStatusOf(await this.get(actor, id));
    throw errorFor(commandRefusal(command, status) ?? defaultRefusal(command), status);
  }
}

function defaultRefusal(command: ReplyCommand): string {
  return command === 'cancel' ? 'reply_not_scheduled' : 'reply_not_awaiting_review';
}

function errorFor(code: string, status: string): Error {
  return code === 'reply_not_scheduled'
    ? new ReplyNotScheduledError(status)
    : new ReplyNotAwaitingReviewError(status);
}
