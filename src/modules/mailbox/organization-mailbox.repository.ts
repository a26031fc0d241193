import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../common/database/prisma.service.js';
import type { Tx } from '../../common/database/transaction.js';
import type { Mailbox } from '../../generated/prisma/client.js';
import {
  APPLICATION_ACCESS_DENIED,
  type DirectoryAccount,
  ORGANIZATION_NEEDS_CONSENT,
} from './organization-mailbox.rules.js';

/** The organization a sync works for, and who connected it. */
export interface OrganizationRef {
  organizationId: string;
  workspaceId: string;
  tenantId: string;
  connectedByUserId: string;
}

export interface OrganizationMailboxCounts {
  mailboxes: number;
  active: number;
  needsConsent: number;
  accessDenied: number;
}

const OF_ORGANIZATION = (organizationId: string) => ({
  organizationId,
  connectionType: 'organization' as const,
  disconnectedAt: null,
});

/** Organization mailboxes: created and retired in bulk by directory syncs, no credentials. */
@Injectable()
export class OrganizationMailboxRepository {
  constructor(private readonly prisma: PrismaService) {}

  findAccounts(tx: Tx, org: OrganizationRef, msUserIds: string[]): Promise<Mailbox[]> {
    return tx.mailbox.findMany({
      where: { workspaceId: org.workspaceId, tenantId: org.tenantId, msUserId: { in: msUserIds } },
    });
  }

  /** Inserts new organization mailboxes; an account inserted meanwhile (a race) is skipped. */
  create(tx: Tx, org: OrganizationRef, accounts: DirectoryAccount[], now: Date) {
    if (accounts.length === 0) return Promise.resolve([]);
    return tx.mailbox.createManyAndReturn({
      data: accounts.map((a) => ({
        id: randomUUID(),
        workspaceId: org.workspaceId,
        tenantId: org.tenantId,
        msUserId: a.msUserId,
        email: a.email,
        displayName: a.displayName,
        connectionType: 'organization' as const,
        organizationId: org.organizationId,
        connectedByUserId: org.connectedByUserId,
        connectedAt: now,
      })),
      skipDuplicates: true,
      select: { id: true, msUserId: true },
    });
  }

  async updateDirectoryFields(tx: Tx, id: string, account: DirectoryAccount): Promise<void> {
    await tx.mailbox.update({
      where: { id },
      data: { email: account.email, displayName: account.displayName },
    });
  }

  /** Brings a retired (or old delegated) row back as a fresh organization mailbox. */
  async adopt(
    tx: Tx,
    id: string,
    org: OrganizationRef,
    account: DirectoryAccount,
    now: Date,
  ): Promise<void> {
    await tx.mailboxCredential.deleteMany({ where: { mailboxId: id } });
    await tx.mailbox.update({
      where: { id },
      data: {
        email: account.email,
        displayName: account.displayName,
        connectionType: 'organization',
        organizationId: org.organizationId,
        connectedByUserId: org.connectedByUserId,
        status: 'active',
        statusReason: null,
        statusReasonSince: null,
        connectedAt: now,
        disconnectedAt: null,
        tokenRefreshedAt: null,
        inboundEnabled: false,
        inboundPurpose: 'general',
        inboundBehavior: 'triage_only',
      },
    });
  }

  /** Connected organization mailboxes whose user is not in `keep` (any size): their ids. */
  async findNotIn(tx: Tx, organizationId: string, keep: string[]): Promise<string[]> {
    const rows = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM mailbox
       WHERE organization_id = ${organizationId} AND connection_type = 'organization'
         AND disconnected_at IS NULL AND ms_user_id <> ALL(${keep}::text[])`;
    return rows.map((row) => row.id);
  }

  async retire(tx: Tx, ids: string[], reason: string, now: Date): Promise<void> {
    if (ids.length === 0) return;
    await tx.mailbox.updateMany({
      where: { id: { in: ids } },
      data: { disconnectedAt: now, statusReason: reason, statusReasonSince: now },
    });
  }

  /** Every connected mailbox of the organization stops: needs_reauth, consent reason. */
  async suspend(tx: Tx, organizationId: string, now: Date): Promise<number> {
    const { count } = await tx.mailbox.updateMany({
      where: {
        ...OF_ORGANIZATION(organizationId),
        NOT: { status: 'needs_reauth', statusReason: ORGANIZATION_NEEDS_CONSENT },
      },
      data: {
        status: 'needs_reauth',
        statusReason: ORGANIZATION_NEEDS_CONSENT,
        statusReasonSince: now,
      },
    });
    return count;
  }

  /** Mailboxes suspended for the organization's consent become active again. */
  async resume(tx: Tx, organizationId: string): Promise<number> {
    const { count } = await tx.mailbox.updateMany({
      where: { ...OF_ORGANIZATION(organizationId), statusReason: ORGANIZATION_NEEDS_CONSENT },
      data: { status: 'active', statusReason: null, statusReasonSince: null },
    });
    return count;
  }

  /** An access policy hides these users' mailboxes from the app: error, with that reason. */
  async markAccessDenied(organizationId: string, msUserIds: string[], now: Date) {
    if (msUserIds.length === 0) return 0;
    const { count } = await this.prisma.mailbox.updateMany({
      where: { ...OF_ORGANIZATION(organizationId), msUserId: { in: msUserIds }, status: 'active' },
      data: { status: 'error', statusReason: APPLICATION_ACCESS_DENIED, statusReasonSince: now },
    });
    return count;
  }

  async clearAccessDenied(organizationId: string, msUserIds: string[]): Promise<number> {
    if (msUserIds.length === 0) return 0;
    const { count } = await this.prisma.mailbox.updateMany({
      where: {
        ...OF_ORGANIZATION(organizationId),
        msUserId: { in: msUserIds },
        statusReason: APPLICATION_ACCESS_DENIED,
      },
      data: { status: 'active', statusReason: null, statusReasonSince: null },
    });
    return count;
  }

  /** The organization of a connected organization mailbox, or null. */
  async organizationOf(tx: Tx, mailboxId: string) {
    const row = await tx.mailbox.findFirst({
      where: { id: mailboxId, connectionType: 'organization', disconnectedAt: null },
      select: { workspaceId: true, organizationId: true },
    });
    return row?.organizationId ? { ...row, organizationId: row.organizationId } : null;
  }

  /** Marks one mailbox the app was refused on (when active); false when nothing changed. */
  async markAccessDeniedById(tx: Tx, mailboxId: string, now: Date): Promise<boolean> {
    const { count } = await tx.mailbox.updateMany({
      where: { id: mailboxId, status: 'active', connectionType: 'organization' },
      data: { status: 'error', statusReason: APPLICATION_ACCESS_DENIED, statusReasonSince: now },
    });
    return count === 1;
  }

  /** Connected mailboxes of the organization an access policy was seen to hide. */
  accessDenied(organizationId: string): Promise<{ id: string; msUserId: string }[]> {
    return this.prisma.mailbox.findMany({
      where: { ...OF_ORGANIZATION(organizationId), statusReason: APPLICATION_ACCESS_DENIED },
      select: { id: true, msUserId: true },
    });
  }

  async counts(organizationIds: string[]): Promise<Map<string, OrganizationMailboxCounts>> {
    const rows = await this.prisma.mailbox.groupBy({
      by: ['organizationId', 'status', 'statusReason'],
      where: {
        organizationId: { in: organizationIds },
        connectionType: 'organization',
        disconnectedAt: null,
      },
      _count: { _all: true },
    });
    const result = new Map<string, OrganizationMailboxCounts>();
    for (const id of organizationIds)
      result.set(id, { mailboxes: 0, active: 0, needsConsent: 0, accessDenied: 0 });
    for (const row of rows) {
      const counts = result.get(row.organizationId as string);
      if (!counts) continue;
      const n = row._count._all;
      counts.mailboxes += n;
      if (row.status === 'active') counts.active += n;
      if (row.statusReason === ORGANIZATION_NEEDS_CONSENT) counts.needsConsent += n;
      if (row.statusReason === APPLICATION_ACCESS_DENIED) counts.accessDenied += n;
    }
    return result;
  }
}
