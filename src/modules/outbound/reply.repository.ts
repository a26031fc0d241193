import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../common/database/prisma.service.js';
import type { Tx } from '../../common/database/transaction.js';
import type { MailboxUsage, Recipient } from './outbound.rules.js';

const DAY_MS = 24 * 3600_000;

/** Sender profile id of reply rows: replies answer a thread, no profile sends them. */
export const REPLY_PROFILE = 'inbound-reply';

export interface ReplyRow {
  id: string;
  workspaceId: string;
  mailboxId: string;
  identityId: string;
  fromEmail: string;
  to: Recipient;
  subject: string;
  textBody: string;
  idempotencyKey: string;
  marker: string;
}

/**
 * AI replies as rows of outbound_message, so the per-mailbox limits count them like any send.
 * A booked reply is stored `sent` (counted, and never claimed by the dispatcher, which sends only
 * queued messages and recovers only `sending` ones); `sent_at` is set once it has gone out.
 */
@Injectable()
export class ReplyRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Runs `work` in one transaction; the service passes `tx` to this repository's methods. */
  inTransaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.prisma.$transaction(work);
  }

  /** The same per-mailbox lock the dispatcher books under. */
  async lockMailbox(tx: Tx, mailboxId: string): Promise<void> {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`mailbox:${mailboxId}`}))`;
  }

  /**
   * Counted exactly as the dispatcher counts (outbound_message sending/sent, database clock); the
   * bounds as sub-selects are evaluated once, so they bound the index range.
   */
  async usage(tx: Tx, mailboxId: string, windowMs: number): Promise<MailboxUsage> {
    const [row] = await tx.$queryRaw<{ messages: number; recipients: number }[]>`
      SELECT count(*) FILTER (WHERE sending_started_at > (SELECT clock_timestamp() - make_interval(secs => ${windowMs / 1000}::double precision)))::int AS messages,
             coalesce(sum(recipient_count), 0)::int AS recipients
        FROM outbound_message
       WHERE mailbox_id = ${mailboxId} AND status IN ('sending', 'sent')
         AND sending_started_at > (SELECT clock_timestamp() - make_interval(secs => ${DAY_MS / 1000}::double precision))`;
    return { messagesInWindow: row.messages, recipientsInDay: row.recipients };
  }

  /** When the oldest send in the window leaves it (ms from now). */
  async windowFreesInMs(tx: Tx, mailboxId: string, windowMs: number): Promise<number> {
    const [row] = await tx.$queryRaw<{ ms: number | null }[]>`
      SELECT (extract(epoch FROM min(sending_started_at) + make_interval(secs => ${windowMs / 1000}::double precision) - clock_timestamp()) * 1000)::int AS ms
        FROM outbound_message
       WHERE mailbox_id = ${mailboxId} AND status IN ('sending', 'sent')
         AND sending_started_at > clock_timestamp() - make_interval(secs => ${windowMs / 1000}::double precision)`;
    return Math.max(0, row?.ms ?? 0);
  }

  findByKey(tx: Tx, workspaceId: string, idempotencyKey: string) {
    return tx.outboundMessage.findUnique({
      where: { workspaceId_idempotencyKey: { workspaceId, idempotencyKey } },
      select: { id: true, status: true },
    });
  }

  async insertBooked(tx: Tx, reply: ReplyRow): Promise<void> {
    await tx.outboundMessage.create({
      data: {
        id: reply.id,
        workspaceId: reply.workspaceId,
        senderProfileId: REPLY_PROFILE,
        mailboxId: reply.mailboxId,
        identityId: reply.identityId,
        fromEmail: reply.fromEmail,
        toRecipients: [{ ...reply.to }],
        recipientCount: 1,
        subject: reply.subject,
        textBody: reply.textBody,
        status: 'sent',
        isReply: true,
        attempts: 1,
        idempotencyKey: reply.idempotencyKey,
        requestHash: REPLY_PROFILE,
        marker: reply.marker,
      },
    });
    await tx.$executeRaw`
      UPDATE outbound_message SET sending_started_at = clock_timestamp() WHERE id = ${reply.id}`;
  }

  /** `detailsCheckAt`: when to read the sent copy's ids from Sent Items, if not given here. */
  async markSent(
    tx: Tx,
    id: string,
    details: { internetMessageId?: string; conversationId?: string },
    detailsCheckAt: Date,
  ): Promise<{ workspaceId: string; mailboxId: string | null; identityId: string | null } | null> {
    const rows = await tx.outboundMessage.updateManyAndReturn({
      where: { id, sentAt: null },
      data: {
        ...details,
        sentAt: new Date(),
        detailsCheckAt: details.internetMessageId ? null : detailsCheckAt,
      },
      select: { workspaceId: true, mailboxId: true, identityId: true },
    });
    return rows[0] ?? null;
  }

  async markFailed(id: string, error: { code: string; message: string }): Promise<void> {
    await this.prisma.outboundMessage.updateMany({
      where: { id, sentAt: null },
      data: { status: 'failed', errorCode: error.code, errorMessage: error.message },
    });
  }

  /** Sent ids as stored (`detailsCheckAt` set while the sent-details lookup is pending). */
  findSentFacts(ids: string[]) {
    return this.prisma.outboundMessage.findMany({
      where: { id: { in: ids } },
      select: { id: true, internetMessageId: true, conversationId: true, detailsCheckAt: true },
    });
  }
}
