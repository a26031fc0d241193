import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../common/database/prisma.service.js';
import type { Tx } from '../../common/database/transaction.js';
import { claimDue, WORKER_ID } from '../../common/jobs/claim.js';
import { type Organization, Prisma } from '../../generated/prisma/client.js';

export type OrganizationRow = Organization;

export interface ConsentedTenant {
  id: string;
  workspaceId: string;
  tenantId: string;
  connectedByUserId: string;
}

export interface SyncSuccess {
  counts: Prisma.InputJsonObject;
  primaryDomain: string | null;
  nextSyncAt: Date;
}

export interface SyncFailureRecord {
  status: OrganizationRow['status'];
  error: string;
  failures: number;
  nextSyncAt: Date;
}

const CONNECTED = { removedAt: null };

@Injectable()
export class OrganizationRepository {
  constructor(private readonly prisma: PrismaService) {}

  findByTenant(tx: Tx, workspaceId: string, tenantId: string): Promise<OrganizationRow | null> {
    return tx.organization.findUnique({
      where: { workspaceId_tenantId: { workspaceId, tenantId } },
    });
  }

  /** A consent (first, again, or after a removal): the row is fresh and syncs at once. */
  upsertConsented(tx: Tx, tenant: ConsentedTenant, now: Date): Promise<OrganizationRow> {
    const fresh = {
      connectedByUserId: tenant.connectedByUserId,
      status: 'syncing' as const,
      statusReason: null,
      grantedAt: now,
      consentLostAt: null,
      removedAt: null,
      syncFailures: 0,
      nextSyncAt: now,
    };
    return tx.organization.upsert({
      where: {
        workspaceId_tenantId: { workspaceId: tenant.workspaceId, tenantId: tenant.tenantId },
      },
      create: { ...tenant, ...fresh },
      update: fresh,
    });
  }

  /**
   * Holds the organization for the transaction if it is still connected: `share` while a sync
   * writes mailboxes, `update` while it is removed, so the two never interleave.
   */
  async lockConnected(tx: Tx, id: string, mode: 'share' | 'update'): Promise<boolean> {
    const rows =
      mode === 'share'
        ? await tx.$queryRaw<unknown[]>`SELECT id FROM organization
            WHERE id = ${id} AND removed_at IS NULL FOR SHARE`
        : await tx.$queryRaw<unknown[]>`SELECT id FROM organization
            WHERE id = ${id} AND removed_at IS NULL FOR UPDATE`;
    return rows.length === 1;
  }

  findInWorkspace(workspaceId: string, id: string): Promise<OrganizationRow | null> {
    return this.prisma.organization.findFirst({ where: { id, workspaceId, ...CONNECTED } });
  }

  findConnected(id: string): Promise<OrganizationRow | null> {
    return this.prisma.organization.findFirst({ where: { id, ...CONNECTED } });
  }

  listInWorkspace(workspaceId: string, limit: number, afterId?: string) {
    return this.prisma.organization.findMany({
      where: { workspaceId, ...CONNECTED, ...(afterId ? { id: { gt: afterId } } : {}) },
      orderBy: { id: 'asc' },
      take: limit,
    });
  }

  /** Leases organizations whose sync is due (several instances never take the same one). */
  claimDue(limit: number, leaseMs: number): Promise<string[]> {
    return claimDue(this.prisma, {
      table: 'organization',
      due: Prisma.sql`next_sync_at <= now() AND removed_at IS NULL`,
      order: Prisma.sql`next_sync_at`,
      limit,
      leaseMs,
      owner: WORKER_ID,
    });
  }

  /** Leases one organization now (a consent or a Sync click); false when a sync holds it. */
  async claimOne(id: string, leaseMs: number): Promise<boolean> {
    const claimed = await this.prisma.$executeRaw`
      UPDATE organization
         SET locked_until = now() + make_interval(secs => ${leaseMs / 1000}::double precision),
             locked_by = ${WORKER_ID}
       WHERE id = ${id} AND removed_at IS NULL
         AND (locked_until IS NULL OR locked_until < now())`;
    return claimed === 1;
  }

  /** A sync started: `syncing`, unless the organization is waiting for consent. */
  async markSyncing(id: string): Promise<void> {
    await this.prisma.organization.updateMany({
      where: { id, status: { not: 'needs_consent' } },
      data: { status: 'syncing' },
    });
  }

  recordSuccess(tx: Tx, id: string, success: SyncSuccess, now: Date): Promise<OrganizationRow> {
    return tx.organization.update({
      where: { id },
      data: {
        status: 'active',
        statusReason: null,
        consentLostAt: null,
        lastSyncAt: now,
        lastSyncCounts: success.counts,
        primaryDomain: success.primaryDomain,
        lastError: null,
        lastErrorAt: null,
        syncFailures: 0,
        nextSyncAt: success.nextSyncAt,
        lockedUntil: null,
        lockedBy: null,
      },
    });
  }

  /**
   * Consent is gone: needs_consent with the reason; false when a new consent arrived since the
   * sync read the row (`grantedAt` moved on), which then wins.
   */
  async recordConsentLost(
    tx: Tx,
    row: OrganizationRow,
    lost: { reason: string; error: string; nextSyncAt: Date },
    now: Date,
  ): Promise<boolean> {
    const { count } = await tx.organization.updateMany({
      where: { id: row.id, grantedAt: row.grantedAt, removedAt: null },
      data: {
        status: 'needs_consent',
        statusReason: lost.reason,
        consentLostAt: row.consentLostAt ?? now,
        lastError: lost.error,
        lastErrorAt: now,
        syncFailures: 0,
        nextSyncAt: lost.nextSyncAt,
        lockedUntil: null,
        lockedBy: null,
      },
    });
    return count === 1;
  }

  /** A sync failed for now (`status`: what the organization shows meanwhile). */
  async recordFailure(id: string, failure: SyncFailureRecord, now: Date): Promise<void> {
    await this.prisma.organization.update({
      where: { id },
      data: {
        status: failure.status,
        lastError: failure.error,
        lastErrorAt: now,
        syncFailures: failure.failures,
        nextSyncAt: failure.nextSyncAt,
        lockedUntil: null,
        lockedBy: null,
      },
    });
  }

  async release(id: string): Promise<void> {
    await this.prisma.organization.updateMany({
      where: { id },
      data: { lockedUntil: null, lockedBy: null },
    });
  }

  /** Sync as soon as the job runs next (idempotent). */
  async requestSync(id: string, now: Date): Promise<void> {
    await this.prisma.organization.updateMany({
      where: { id, ...CONNECTED },
      data: { nextSyncAt: now },
    });
  }

  markRemoved(tx: Tx, id: string, now: Date): Promise<OrganizationRow> {
    return tx.organization.update({
      where: { id },
      data: { removedAt: now, lockedUntil: null, lockedBy: null },
    });
  }
}
