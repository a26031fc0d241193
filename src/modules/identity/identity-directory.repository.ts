import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Tx } from '../../common/database/transaction.js';
import type { Identity } from '../../generated/prisma/client.js';
import type { DiscoveredAddress } from './identity.rules.js';

/** Set-based identity writes for many mailboxes at once (organization directory syncs). */
@Injectable()
export class IdentityDirectoryRepository {
  /**
   * Holds the discovery state rows of the mailboxes for the transaction (created if missing,
   * locked in id order), so a Refresh of one of them waits instead of racing the sync.
   */
  async lockScans(tx: Tx, mailboxIds: string[], now: Date): Promise<void> {
    await tx.identityScan.createMany({
      data: mailboxIds.map((mailboxId) => ({ mailboxId, nextScanAt: now })),
      skipDuplicates: true,
    });
    await tx.$queryRaw`SELECT mailbox_id FROM identity_scan
       WHERE mailbox_id = ANY(${mailboxIds}::text[]) ORDER BY mailbox_id FOR UPDATE`;
  }

  forMailboxes(tx: Tx, mailboxIds: string[]): Promise<Identity[]> {
    return tx.identity.findMany({ where: { mailboxId: { in: mailboxIds } } });
  }

  insert(
    tx: Tx,
    rows: { mailboxId: string; workspaceId: string; address: DiscoveredAddress }[],
    now: Date,
  ): Promise<Identity[]> {
    if (rows.length === 0) return Promise.resolve([]);
    return tx.identity.createManyAndReturn({
      data: rows.map((row) => ({
        id: randomUUID(),
        mailboxId: row.mailboxId,
        workspaceId: row.workspaceId,
        email: row.address.email,
        type: row.address.type,
        source: 'discovered' as const,
        lastSeenAt: now,
      })),
    });
  }

  /** Still listed: active, with the type the directory gives them now. */
  async markSeen(tx: Tx, ids: string[], type: 'primary' | 'alias', now: Date): Promise<void> {
    if (ids.length === 0) return;
    await tx.identity.updateMany({
      where: { id: { in: ids } },
      data: { type, status: 'active', lastSeenAt: now },
    });
  }

  async deactivate(tx: Tx, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await tx.identity.updateMany({ where: { id: { in: ids } }, data: { status: 'inactive' } });
  }

  async recordScanned(tx: Tx, mailboxIds: string[], now: Date, nextScanAt: Date): Promise<void> {
    await tx.identityScan.updateMany({
      where: { mailboxId: { in: mailboxIds } },
      data: {
        scannedAt: now,
        lastError: null,
        lastErrorAt: null,
        nextScanAt,
        lockedUntil: null,
        lockedBy: null,
      },
    });
  }
}
