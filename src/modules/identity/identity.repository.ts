import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../common/database/prisma.service.js';
import type { Tx } from '../../common/database/transaction.js';
import { type Identity, Prisma } from '../../generated/prisma/client.js';
import type { DiscoveredAddress } from './identity.rules.js';

export type IdentityRow = Identity;

/** An identity as the mailbox listings show it (no workspace, no update time). */
export type ListedIdentity = Omit<Identity, 'workspaceId' | 'updatedAt'>;

/** A mailbox's scan state with one of its identities (all null when it has none). */
export type ListedRow = { [K in keyof ListedIdentity]: ListedIdentity[K] | null } & {
  mailboxId: string;
  hasScan: boolean;
  scannedAt: Date | null;
  lastError: string | null;
};

@Injectable()
export class IdentityRepository {
  constructor(private readonly prisma: PrismaService) {}

  forMailbox(mailboxId: string, tx: Tx = this.prisma): Promise<IdentityRow[]> {
    return tx.identity.findMany({ where: { mailboxId } });
  }

  /**
   * The mailboxes' identities (by type, then email) and scan state in one statement: one row per
   * identity, or one row with no identity for a mailbox without any; only the listed columns.
   */
  listedForMailboxes(mailboxIds: string[]): Promise<ListedRow[]> {
    if (mailboxIds.length === 0) return Promise.resolve([]);
    return this.prisma.$queryRaw<ListedRow[]>`
      SELECT m.id AS "mailboxId", s.mailbox_id IS NOT NULL AS "hasScan",
             s.scanned_at AS "scannedAt", s.last_error AS "lastError",
             i.id, i.email, i.display_name AS "displayName", i.type::text AS type,
             i.source::text AS source, i.status::text AS status, i.verified_at AS "verifiedAt",
             i.sender_profile_id AS "senderProfileId", i.last_seen_at AS "lastSeenAt",
             i.pace_override AS "paceOverride", i.created_at AS "createdAt"
        FROM (SELECT DISTINCT id FROM unnest(${mailboxIds}::text[]) AS u(id)) AS m
        LEFT JOIN identity_scan s ON s.mailbox_id = m.id
        LEFT JOIN identity i ON i.mailbox_id = m.id
       ORDER BY i.type, i.email`;
  }

  sendableForProfile(senderProfileId: string) {
    return this.prisma.identity.findMany({
      where: {
        senderProfileId,
        status: 'active',
        mailbox: { status: 'active', disconnectedAt: null },
      },
      include: { mailbox: { select: { connectionType: true, msUserId: true, tenantId: true } } },
      orderBy: { id: 'asc' },
    });
  }

  findInWorkspace(workspaceId: string, id: string): Promise<IdentityRow | null> {
    return this.prisma.identity.findFirst({ where: { id, workspaceId } });
  }

  insertDiscovered(
    tx: Tx,
    mailbox: { id: string; workspaceId: string },
    addresses: DiscoveredAddress[],
    now: Date,
  ): Promise<IdentityRow[]> {
    if (addresses.length === 0) return Promise.resolve([]);
    return tx.identity.createManyAndReturn({
      data: addresses.map((address) => ({
        id: randomUUID(),
        mailboxId: mailbox.id,
        workspaceId: mailbox.workspaceId,
        email: address.email,
        type: address.type,
        source: 'discovered' as const,
        lastSeenAt: now,
      })),
    });
  }

  /** Still listed by Microsoft: active, with its current type (an alias may become primary). */
  async markSeen(tx: Tx, ids: string[], type: 'primary' | 'alias', now: Date): Promise<void> {
    if (ids.length)
      await tx.identity.updateMany({
        where: { id: { in: ids } },
        data: { type, status: 'active', lastSeenAt: now },
      });
  }

  async deactivate(tx: Tx, ids: string[]): Promise<void> {
    if (ids.length)
      await tx.identity.updateMany({ where: { id: { in: ids } }, data: { status: 'inactive' } });
  }

  /** The new Send As identity, or null when the mailbox already has this address. */
  async createSendAs(data: {
    mailboxId: string;
    workspaceId: string;
    email: string;
    displayName?: string;
  }): Promise<IdentityRow | null> {
    const [created] = await this.prisma.identity.createManyAndReturn({
      data: [{ id: randomUUID(), ...data, type: 'send_as', source: 'manual' }],
      skipDuplicates: true,
    });
    return created ?? null;
  }

  async delete(id: string): Promise<void> {
    await this.prisma.identity.delete({ where: { id } });
  }

  /** Idempotent: a missing (removed) identity is simply not updated. */
  async markSendAsDenied(id: string): Promise<void> {
    await this.prisma.identity.updateMany({ where: { id }, data: { status: 'send_as_denied' } });
  }

  setStatus(
    id: string,
    data: { status?: 'active' | 'send_as_denied'; verifiedAt?: Date },
  ): Promise<IdentityRow> {
    return this.prisma.identity.update({ where: { id }, data });
  }

  /**
   * Disconnect: discovered identities become inactive and leave their sender profiles (a
   * reconnect brings them back through discovery); hand-entered Send As addresses are dropped.
   */
  async retireMailbox(tx: Tx, mailboxId: string): Promise<number> {
    const removed = await tx.identity.deleteMany({ where: { mailboxId, source: 'manual' } });
    const retired = await tx.identity.updateMany({
      where: { mailboxId },
      data: { status: 'inactive', senderProfileId: null },
    });
    return removed.count + retired.count;
  }

  findInWorkspaceTx(tx: Tx, workspaceId: string, id: string): Promise<IdentityRow | null> {
    return tx.identity.findFirst({ where: { id, workspaceId } });
  }

  setAssignment(
    tx: Tx,
    id: string,
    data: { senderProfileId?: string | null; displayName?: string; paceOverride?: object | null },
  ): Promise<IdentityRow> {
    const { paceOverride, ...rest } = data;
    return tx.identity.update({
      where: { id },
      data: {
        ...rest,
        ...(paceOverride === undefined
          ? {}
          : { paceOverride: paceOverride === null ? Prisma.DbNull : paceOverride }),
      },
    });
  }

  async unassignProfile(tx: Tx, senderProfileId: string): Promise<number> {
    const result = await tx.identity.updateMany({
      where: { senderProfileId },
      data: { senderProfileId: null },
    });
    return result.count;
  }

  /** Identities assigned to the profiles, with the state of their mailboxes. */
  assignedToProfiles(senderProfileIds: string[]) {
    return this.prisma.identity.findMany({
      where: { senderProfileId: { in: senderProfileIds } },
      select: {
        id: true,
        senderProfileId: true,
        status: true,
        mailbox: { select: { status: true, statusReason: true, disconnectedAt: true } },
      },
      orderBy: [{ email: 'asc' }, { id: 'asc' }],
    });
  }
}
