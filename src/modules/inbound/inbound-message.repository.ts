import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../common/database/prisma.service.js';
import type { Tx } from '../../common/database/transaction.js';
import { claimDue, WORKER_ID } from '../../common/jobs/claim.js';
import {
  type InboundAction,
  type InboundMessage,
  type InboundStage,
  Prisma,
} from '../../generated/prisma/client.js';
import { replySlotRefusal, type ReplyStatus } from './reply-policy.rules.js';

export type InboundMessageRow = InboundMessage;

export interface NewInboundMessage {
  id: string;
  workspaceId: string;
  mailboxId: string;
  graphMessageId: string;
  source: 'notification' | 'delta';
}

const DAY_MS = 24 * 3600_000;

/** AI replies that count: not failed, discarded by a person or cancelled in their undo window. */
const NOT_WITHDRAWN = {
  OR: [
    { action: null },
    { action: { notIn: ['failed', 'discarded', 'cancelled'] as InboundAction[] } },
  ],
};

export interface ReplySlot {
  id: string;
  mailboxId: string;
  conversationId: string;
  marker: string;
  text: string;
  mode: string;
  status: ReplyStatus | null;
  dueAt: Date;
  /** The application clock's time: the booking time and the end of the 24-hour windows. */
  now: Date;
  dailyCap: number;
  threadCap: number;
  lastHumanMessageAt: Date | null;
}

export interface PageFilter {
  mailboxId?: string;
  action?: string;
  replyStatus?: string;
  /** Only messages with an AI reply (GET /v1/inbound/replies). */
  repliesOnly?: boolean;
}

/** inbound_message: received messages, the pipeline's queue and its record of what it did. */
@Injectable()
export class InboundMessageRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Inserts the messages not seen before (unique mailbox + Graph id), due at `now` (the
   * application clock); returns how many.
   */
  async insertNew(rows: NewInboundMessage[], now: Date): Promise<number> {
    if (rows.length === 0) return 0;
    const { count } = await this.prisma.inboundMessage.createMany({
      data: rows.map((row) => ({ ...row, nextAttemptAt: now })),
      skipDuplicates: true,
    });
    return count;
  }

  /** Messages due at `now` (the application clock); leases run on the database's time. */
  claimDue(limit: number, leaseMs: number, now: Date): Promise<string[]> {
    return claimDue(this.prisma, {
      table: 'inbound_message',
      due: Prisma.sql`stage IN ('pending', 'replying', 'discarding') AND next_attempt_at <= ${now}`,
      order: Prisma.sql`next_attempt_at, created_at`,
      limit,
      leaseMs,
      owner: WORKER_ID,
    });
  }

  findMany(ids: string[]): Promise<InboundMessageRow[]> {
    return this.prisma.inboundMessage.findMany({
      where: { id: { in: ids } },
      orderBy: { createdAt: 'asc' },
    });
  }

  /** Saves what a step found; keeps the lease (the pipeline goes on with the message). */
  async save(id: string, data: Prisma.InboundMessageUpdateInput): Promise<InboundMessageRow> {
    return this.prisma.inboundMessage.update({ where: { id }, data });
  }

  /** Ends the message's work in the pipeline with its action and reason. */
  async finish(
    id: string,
    data: Prisma.InboundMessageUpdateInput,
    tx: Tx = this.prisma,
  ): Promise<void> {
    await tx.inboundMessage.update({
      where: { id },
      data: { ...data, stage: 'done', processedAt: new Date(), lockedUntil: null, lockedBy: null },
    });
  }

  /** Looks at the message again at `at`; `failed` counts an attempt. */
  async retryAt(id: string, at: Date, failed: boolean, reason?: string): Promise<void> {
    await this.prisma.inboundMessage.update({
      where: { id },
      data: {
        nextAttemptAt: at,
        lockedUntil: null,
        lockedBy: null,
        ...(failed ? { attempts: { increment: 1 } } : {}),
        ...(reason ? { reason } : {}),
      },
    });
  }

  /**
   * Takes an AI reply slot for this message (its marker and text, in the state its reply mode
   * starts in), under the mailbox's lock so concurrent messages and instances cannot overshoot
   * the mailbox's daily cap, the thread cap or the one-in-a-row rule. Answers the refusal, or null.
   */
  claimReplySlot(slot: ReplySlot): Promise<string | null> {
    return this.prisma.$transaction(async (tx) => {
      const key = `inbound-replies:${slot.mailboxId}`;
      const since = new Date(slot.now.getTime() - DAY_MS);
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${key}))`;
      const [counts] = await tx.$queryRaw<
        { mailbox_today: number; thread_today: number; last_ai: Date | null }[]
      >`
        SELECT count(*) FILTER (WHERE reply_booked_at > ${since})::int AS mailbox_today,
               count(*) FILTER (WHERE conversation_id = ${slot.conversationId}
                                  AND reply_booked_at > ${since})::int AS thread_today,
               max(reply_booked_at) FILTER (WHERE conversation_id = ${slot.conversationId}) AS last_ai
          FROM inbound_message
         WHERE mailbox_id = ${slot.mailboxId} AND id <> ${slot.id}
           AND reply_marker IS NOT NULL
           AND coalesce(reply_status, '') NOT IN ('discarded', 'cancelled')
           AND action IS DISTINCT FROM 'failed'`;
      const refusal = replySlotRefusal({
        mailboxRepliesToday: counts.mailbox_today,
        dailyCap: slot.dailyCap,
        threadRepliesToday: counts.thread_today,
        threadCap: slot.threadCap,
        lastAiReplyAt: counts.last_ai,
        lastHumanMessageAt: slot.lastHumanMessageAt,
      });
      if (refusal) return refusal;
      await tx.inboundMessage.update({
        where: { id: slot.id },
        data: {
          replyMarker: slot.marker,
          replyText: slot.text,
          replyBookedAt: slot.now,
          replyMode: slot.mode,
          replyStatus: slot.status,
          stage: 'replying',
          nextAttemptAt: slot.dueAt,
        },
      });
      return null;
    });
  }

  /** Markers of the conversation's AI replies (any age, any state but withdrawn or failed). */
  async aiReplyMarkers(mailboxId: string, conversationId: string): Promise<string[]> {
    const rows = await this.prisma.inboundMessage.findMany({
      where: {
        mailboxId,
        conversationId,
        replyMarker: { not: null },
        OR: [{ replyStatus: null }, { replyStatus: { notIn: ['discarded', 'cancelled'] } }],
      },
      select: { replyMarker: true },
      take: 200,
    });
    return rows.map((r) => r.replyMarker as string);
  }

  /**
   * Moves a reply from one status to the next only if it is still in `from` (one winner however
   * many instances or requests try): the row after the move, or null.
   */
  async transition(
    id: string,
    workspaceId: string | null,
    from: { stage: InboundStage; replyStatus: string },
    data: Prisma.InboundMessageUpdateManyMutationInput,
    tx: Tx = this.prisma,
  ): Promise<InboundMessageRow | null> {
    const rows = await tx.inboundMessage.updateManyAndReturn({
      where: { id, ...(workspaceId ? { workspaceId } : {}), ...from },
      data,
    });
    return rows[0] ?? null;
  }

  /** Runs `work` in one transaction (the caller passes `tx` to this and other repositories). */
  inTransaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.prisma.$transaction(work);
  }

  findInWorkspace(id: string, workspaceId: string): Promise<InboundMessageRow | null> {
    return this.prisma.inboundMessage.findFirst({ where: { id, workspaceId } });
  }

  /** Whether an AI reply was sent or is under way in the conversation (Reply Only owns it). */
  async repliedInConversation(mailboxId: string, conversationId: string): Promise<boolean> {
    const found = await this.prisma.inboundMessage.findFirst({
      where: { mailboxId, conversationId, replyMarker: { not: null }, ...NOT_WITHDRAWN },
      select: { id: true },
    });
    return found !== null;
  }

  /** AI replies sent in the conversation in the 24 hours before `now` (the loop guard's cap). */
  countRepliesInThread(mailboxId: string, conversationId: string, now: Date): Promise<number> {
    return this.prisma.inboundMessage.count({
      where: {
        mailboxId,
        conversationId,
        replyMarker: { not: null },
        replyBookedAt: { gt: new Date(now.getTime() - DAY_MS) },
        ...NOT_WITHDRAWN,
      },
    });
  }

  /** Newest first; the cursor is the last item's id (opaque to clients). */
  async page(
    workspaceId: string,
    filter: PageFilter,
    limit: number,
    cursor?: string,
  ): Promise<InboundMessageRow[]> {
    const { mailboxId, action, replyStatus, repliesOnly } = filter;
    const after = cursor
      ? await this.prisma.inboundMessage.findFirst({ where: { id: cursor, workspaceId } })
      : null;
    return this.prisma.inboundMessage.findMany({
      where: {
        workspaceId,
        ...(mailboxId ? { mailboxId } : {}),
        ...(action ? { action: action as InboundAction } : {}),
        ...(replyStatus ? { replyStatus } : repliesOnly ? { replyMarker: { not: null } } : {}),
        ...(after
          ? {
              OR: [
                { createdAt: { lt: after.createdAt } },
                { createdAt: after.createdAt, id: { lt: after.id } },
              ],
            }
          : {}),
      },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: limit,
    });
  }
}
