import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../common/database/prisma.service.js';
import type { Tx } from '../../common/database/transaction.js';
import type { KeysetPosition } from '../../common/http/pagination.js';
import type { Prisma, Suppression } from '../../generated/prisma/client.js';
import type { MessageRow } from './outbound.repository.js';
import type { Screened, SuppressedRecipient, SuppressionReason } from './suppression.rules.js';

export type SuppressionRow = Suppression;

export interface NewSuppression {
  id: string;
  workspaceId: string;
  email: string;
  reason: SuppressionReason;
  source: string;
  note: string | null;
}

const json = (value: unknown) => value as Prisma.InputJsonValue;

@Injectable()
export class SuppressionRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** The new row, or null when the address was already on the workspace's list. */
  async insert(tx: Tx, row: NewSuppression): Promise<SuppressionRow | null> {
    const [created] = await tx.suppression.createManyAndReturn({
      data: [row],
      skipDuplicates: true,
    });
    return created ?? null;
  }

  findByEmail(workspaceId: string, email: string): Promise<SuppressionRow | null> {
    return this.prisma.suppression.findUnique({
      where: { workspaceId_email: { workspaceId, email } },
    });
  }

  findInWorkspace(workspaceId: string, id: string): Promise<SuppressionRow | null> {
    return this.prisma.suppression.findFirst({ where: { id, workspaceId } });
  }

  /** Newest first (creation time, then id), after the given position. */
  list(workspaceId: string, limit: number, after?: KeysetPosition): Promise<SuppressionRow[]> {
    return this.prisma.suppression.findMany({
      where: {
        workspaceId,
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

  async delete(tx: Tx, id: string): Promise<void> {
    await tx.suppression.delete({ where: { id } });
  }

  /** The reason of each of these addresses that is on the workspace's list. */
  async reasonsFor(workspaceId: string, emails: string[]): Promise<Map<string, SuppressionReason>> {
    if (emails.length === 0) return new Map();
    const rows = await this.prisma.suppression.findMany({
      where: { workspaceId, email: { in: emails } },
      select: { email: true, reason: true },
    });
    return new Map(rows.map((r) => [r.email, r.reason]));
  }

  /**
   * The reason of each (workspace, address) pair that is listed, in one statement: the keys of
   * the result are `workspaceId` and the address joined by a newline (neither contains one).
   */
  async reasonsForPairs(
    pairs: { workspaceId: string; email: string }[],
  ): Promise<Map<string, SuppressionReason>> {
    if (pairs.length === 0) return new Map();
    const rows = await this.prisma.$queryRaw<
      { workspace_id: string; email: string; reason: SuppressionReason }[]
    >`
      SELECT s.workspace_id, s.email, s.reason::text AS reason
        FROM suppression s
        JOIN unnest(${pairs.map((p) => p.workspaceId)}::text[], ${pairs.map((p) => p.email)}::text[])
             AS w(workspace_id, email)
          ON s.workspace_id = w.workspace_id AND s.email = w.email`;
    return new Map(rows.map((r) => [`${r.workspace_id}\n${r.email}`, r.reason]));
  }

  /** A queued message without its suppressed recipients (kept while it is still queued). */
  async stripRecipients(
    message: MessageRow,
    screened: Screened,
    alreadyDropped: SuppressedRecipient[],
  ): Promise<MessageRow | null> {
    const { count } = await this.prisma.outboundMessage.updateMany({
      where: { id: message.id, status: 'queued' },
      data: {
        toRecipients: json(screened.kept.to),
        ccRecipients: json(screened.kept.cc),
        bccRecipients: json(screened.kept.bcc),
        recipientCount: screened.kept.count,
        suppressedRecipients: json([...alreadyDropped, ...screened.dropped]),
      },
    });
    return count ? this.prisma.outboundMessage.findUnique({ where: { id: message.id } }) : null;
  }

  /** A queued message whose recipients are all suppressed: cancelled, with who and why. */
  async cancelSuppressed(
    message: MessageRow,
    dropped: SuppressedRecipient[],
    error: { code: string; message: string },
  ): Promise<void> {
    await this.prisma.outboundMessage.updateMany({
      where: { id: message.id, status: 'queued' },
      data: {
        status: 'cancelled',
        errorCode: error.code,
        errorMessage: error.message,
        suppressedRecipients: json(dropped),
        lockedUntil: null,
        lockedBy: null,
      },
    });
  }
}
