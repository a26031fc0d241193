import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../common/database/prisma.service.js';
import { claimDue, WORKER_ID } from '../../common/jobs/claim.js';
import { Prisma } from '../../generated/prisma/client.js';

/** A sent message whose Sent Items copy is still to be read. */
export interface PendingLookup {
  id: string;
  mailboxId: string | null;
  marker: string;
  sentAt: Date;
  detailsAttempts: number;
}

const RELEASED = { lockedUntil: null, lockedBy: null };

/**
 * Sent messages waiting for their internetMessageId and conversationId. A pending lookup has
 * `details_check_at` set (and indexed); it is cleared when the ids are stored or the lookup is
 * given up. The lease is the row's `locked_until`/`locked_by`, which the dispatcher uses only
 * for queued and sending rows.
 */
@Injectable()
export class SentDetailsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Leases up to `limit` sent messages whose lookup was due at `asOf`. */
  claimDue(asOf: Date, limit: number, leaseMs: number): Promise<string[]> {
    return claimDue(this.prisma, {
      table: 'outbound_message',
      due: Prisma.sql`details_check_at <= ${asOf} AND status = 'sent'
        AND internet_message_id IS NULL`,
      order: Prisma.sql`details_check_at`,
      limit,
      leaseMs,
      owner: WORKER_ID,
    });
  }

  async findPending(ids: string[]): Promise<PendingLookup[]> {
    const rows = await this.prisma.outboundMessage.findMany({
      where: { id: { in: ids }, sentAt: { not: null } },
      select: { id: true, mailboxId: true, marker: true, sentAt: true, detailsAttempts: true },
    });
    return rows.map((row) => ({ ...row, sentAt: row.sentAt as Date }));
  }

  /** Stores the ids (unless already known) and ends the lookup. */
  async store(
    id: string,
    ids: { internetMessageId: string; conversationId: string | null },
  ): Promise<void> {
    await this.prisma.outboundMessage.updateMany({
      where: { id, internetMessageId: null },
      data: {
        internetMessageId: ids.internetMessageId,
        ...(ids.conversationId ? { conversationId: ids.conversationId } : {}),
        detailsCheckAt: null,
        ...RELEASED,
      },
    });
    await this.release(id);
  }

  async reschedule(id: string, at: Date, attempts: number): Promise<void> {
    await this.prisma.outboundMessage.update({
      where: { id },
      data: { detailsCheckAt: at, detailsAttempts: attempts, ...RELEASED },
    });
  }

  async giveUp(id: string, attempts: number): Promise<void> {
    await this.prisma.outboundMessage.update({
      where: { id },
      data: {
        detailsCheckAt: null,
        detailsAttempts: attempts,
        detailsGaveUpAt: new Date(),
        ...RELEASED,
      },
    });
  }

  /** Lets go of a row without changing it (its lookup stays due). */
  async release(id: string): Promise<void> {
    await this.prisma.outboundMessage.updateMany({
      where: { id, lockedBy: WORKER_ID },
      data: RELEASED,
    });
  }
}
