import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../common/database/prisma.service.js';
import type { Tx } from '../../common/database/transaction.js';
import { claimDue, WORKER_ID } from '../../common/jobs/claim.js';
import {
  type Identity,
  type IdentityScan,
  type Mailbox,
  Prisma,
} from '../../generated/prisma/client.js';

export type ScanRow = IdentityScan;

/** A leased mailbox with the identities stored for it (one read for a whole batch). */
export interface ScanSubject {
  mailbox: Mailbox;
  known: Identity[];
}

/** A re-scan that found what is stored: the identities seen again and the next re-scan. */
export interface SeenRow {
  mailboxId: string;
  identityIds: string[];
  now: Date;
  nextScanAt: Date;
}

/** Discovery state per mailbox: when it last worked, the last error, the next re-scan. */
@Injectable()
export class IdentityScanRepository {
  constructor(private readonly prisma: PrismaService) {}

  find(mailboxId: string): Promise<ScanRow | null> {
    return this.prisma.identityScan.findUnique({ where: { mailboxId } });
  }

  /**
   * The leased mailboxes still connected, each with its stored identities: two statements for
   * the whole batch instead of two per mailbox.
   */
  async loadSubjects(mailboxIds: string[]): Promise<Map<string, ScanSubject>> {
    if (mailboxIds.length === 0) return new Map();
    const rows = await this.prisma.mailbox.findMany({
      where: { id: { in: mailboxIds }, disconnectedAt: null },
      include: { identities: true },
    });
    return new Map(
      rows.map(({ identities, ...mailbox }) => [mailbox.id, { mailbox, known: identities }]),
    );
  }

  /**
   * Unchanged re-scans of many mailboxes in one statement: their identities' `last_seen_at`
   * and their scan state (success, next re-scan, lease released; created if missing).
   */
  async recordSeenMany(rows: SeenRow[]): Promise<void> {
    if (rows.length === 0) return;
    const iso = (d: Date) => d.toISOString();
    // One row per mailbox (a Refresh and the sweep may finish together): the later wins.
    rows = [...new Map(rows.map((r) => [r.mailboxId, r])).values()];
    const seen = rows.flatMap((r) => r.identityIds.map((id) => ({ id, at: iso(r.now) })));
    await this.prisma.$executeRaw`
      WITH seen AS (
        UPDATE identity AS i SET last_seen_at = s.at, updated_at = now()
          FROM unnest(${seen.map((s) => s.id)}::text[], ${seen.map((s) => s.at)}::timestamptz[])
            AS s(id, at)
         WHERE i.id = s.id)
      INSERT INTO identity_scan (mailbox_id, scanned_at, next_scan_at)
      SELECT * FROM unnest(${rows.map((r) => r.mailboxId)}::text[],
                           ${rows.map((r) => iso(r.now))}::timestamptz[],
                           ${rows.map((r) => iso(r.nextScanAt))}::timestamptz[])
      ON CONFLICT (mailbox_id) DO UPDATE
         SET scanned_at = excluded.scanned_at, last_error = NULL, last_error_at = NULL,
             next_scan_at = excluded.next_scan_at, locked_until = NULL, locked_by = NULL`;
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
