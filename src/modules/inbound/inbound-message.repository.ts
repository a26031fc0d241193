import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../common/database/prisma.service.js';
import type { Tx } from '../../common/database/transaction.js';
import { claimDue, WORKER_ID } from '../../common/jobs/claim.js';
import { type InboundMessage, Prisma } from '../../generated/prisma/client.js';

export type InboundMessageRow = InboundMessage;

export interface NewInboundMessage {
  id: string;
  workspaceId: string;
  mailboxId: string;
  graphMessageId: string;
  source: 'notification' | 'delta';
}

const DAY_MS = 24 * 3600_000;

/** inbound_message: received messages, the pipeline's queue and its record of what it did. */
@Injectable()
export class InboundMessageRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Inserts the messages not seen before (unique mailbox + Graph id); returns how many. */
  async insertNew(rows: NewInboundMessage[]): Promise<number> {
    if (rows.length === 0) return 0;
    const { count } = await this.prisma.inboundMessage.createMany({
      data: rows,
      skipDuplicates: true,
    });
    return count;
  }

  claimDue(limit: number, leaseMs: number): Promise<string[]> {
    return claimDue(this.prisma, {
      table: 'inbound_message',
      due: Prisma.sql`stage IN ('pending', 'replying') AND next_attempt_at <= now()`,
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
   * Takes one of the conversation's daily reply slots for this message (its marker and text),
   * under a per-conversation lock so concurrent messages of one thread cannot overshoot the cap.
   * False when the cap is reached.
   */
  claimThreadSlot(
    row: { id: string; mailboxId: string; conversationId: string },
    cap: number,
    reply: { marker: string; text: string },
  ): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      const key = `inbound-thread:${row.mailboxId}:${row.conversationId}`;
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${key}))`;
      const used = await tx.inboundMessage.count({ where: this.repliedInThread(row) });
      if (used >= cap) return false;
      await tx.inboundMessage.update({
        where: { id: row.id },
        data: {
          replyMarker: reply.marker,
          replyText: reply.text,
          replyBookedAt: new Date(),
          stage: 'replying',
        },
      });
      return true;
    });
  }

  private repliedInThread(row: { id: string; mailboxId: string; conversationId: string }) {
    return {
      mailboxId: row.mailboxId,
      conversationId: row.conversationId,
      id: { not: row.id },
      replyMarker: { not: null },
      replyBookedAt: { gt: new Date(Date.now() - DAY_MS) },
      NOT: { action: 'failed' as const },
    };
  }

  /** Whether an AI reply was sent or is under way in the conversation (Reply Only owns it). */
  async repliedInConversation(mailboxId: string, conversationId: string): Promise<boolean> {
    const found = await this.prisma.inboundMessage.findFirst({
      where: { mailboxId, conversationId, replyMarker: { not: null }, NOT: { action: 'failed' } },
      select: { id: true },
    });
    return found !== null;
  }

  /** AI replies sent in the conversation in the last 24 hours (the loop guard's cap). */
  countRepliesInThread(mailboxId: string, conversationId: string): Promise<number> {
    return this.prisma.inboundMessage.count({
      where: {
        mailboxId,
        conversationId,
        replyMarker: { not: null },
        replyBookedAt: { gt: new Date(Date.now() - DAY_MS) },
        NOT: { action: 'failed' },
      },
    });
  }

  /** Newest first; the cursor is the last item's id (opaque to clients). */
  async page(
    workspaceId: string,
    mailboxId: string | undefined,
    limit: number,
    cursor?: string,
  ): Promise<InboundMessageRow[]> {
    const after = cursor
      ? await this.prisma.inboundMessage.findFirst({ where: { id: cursor, workspaceId } })
      : null;
    return this.prisma.inboundMessage.findMany({
      where: {
        workspaceId,
        ...(mailboxId ? { mailboxId } : {}),
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
