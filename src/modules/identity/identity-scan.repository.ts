import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../common/database/prisma.service.js';
import type { Tx } from '../../common/database/transaction.js';
import { claimDue, WORKER_ID } from '../../common/jobs/claim.js';
import { type IdentityScan, Prisma } from '../../generated/prisma/client.js';

export type ScanRow = IdentityScan;

/** Discovery state per mailbox: when it last worked, the last error, the next re-scan. */
@Injectable()
export class IdentityScanRepository {
  constructor(private readonly prisma: PrismaService) {}

  find(mailboxId: string): Promise<ScanRow | null> {
    return this.prisma.identityScan.findUnique({ where: { mailboxId } });
  }

  forMailboxes(mailboxIds: string[]): Promise<ScanRow[]> {
    return this.prisma.identityScan.findMany({ where: { mailboxId: { in: mailboxIds } } });
  }

  async recordSuccess(
    mailboxId: string,
    now: Date,
    nextScanAt: Date,
    tx: Tx = this.prisma,
  ): Promise<void> {
    const data = {
      scannedAt: now,
      lastError: null,
      lastErrorAt: null,
      nextScanAt,
      lockedUntil: null,
      lockedBy: null,
    };
    await tx.identityScan.upsert({
      where: { mailboxId },
      create: { mailboxId, ...data },
      update: data,
    });
  }

  async recordFailure(
    mailboxId: string,
    error: string,
    now: Date,
    nextScanAt: Date,
  ): Promise<void> {
    const data = {
      lastError: error,
      lastErrorAt: now,
      nextScanAt,
      lockedUntil: null,
      lockedBy: null,
    };
    await this.prisma.identityScan.upsert({
      where: { mailboxId },
      create: { mailboxId, ...data },
      update: data,
    });
  }

  /**
   * Leases mailboxes whose re-scan is due (active, connected, delegated: an organization's
   * mailboxes are re-read by its directory sync), safe with several instances.
   */
  claimDue(limit: number, leaseMs: number): Promise<string[]> {
    return claimDue(this.prisma, {
      table: 'identity_scan',
      idColumn: 'mailbox_id',
      due: Prisma.sql`next_scan_at <= now()
        AND mailbox_id IN (SELECT id FROM mailbox WHERE status = 'active'
          AND disconnected_at IS NULL AND connection_type = 'delegated')`,
      order: Prisma.sql`next_scan_at`,
      limit,
      leaseMs,
      owner: WORKER_ID,
    });
  }

  /** Serialises concurrent scans of one mailbox inside the caller's transaction. */
  async lockForApply(tx: Tx, mailboxId: string, now: Date): Promise<void> {
    await tx.identityScan.createMany({
      data: [{ mailboxId, nextScanAt: now }],
      skipDuplicates: true,
    });
    await tx.$executeRaw`SELECT 1 FROM identity_scan WHERE mailbox_id = ${mailboxId} FOR UPDATE`;
  }

  async release(mailboxId: string): Promise<void> {
    await this.prisma.identityScan.updateMany({
      where: { mailboxId },
      data: { lockedUntil: null, lockedBy: null },
    });
  }
}
