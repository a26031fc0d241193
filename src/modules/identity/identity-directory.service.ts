import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../common/config/app-config.js';
import { PrismaService } from '../../common/database/prisma.service.js';
import type { Tx } from '../../common/database/transaction.js';
import { OutboxService } from '../../common/events/outbox.service.js';
import type { IdentityRow as Identity } from './identity.repository.js';
import { IdentityDirectoryRepository } from './identity-directory.repository.js';
import {
  type DirectoryProfile,
  discoverAddresses,
  type IdentityPlan,
  planDiscovery,
} from './identity.rules.js';

export type { DirectoryProfile } from './identity.rules.js';

/** One mailbox and what the directory listing said about its owner. */
export interface DirectoryEntry {
  mailboxId: string;
  workspaceId: string;
  profile: DirectoryProfile;
  /** Created by this sync: its first identities are not announced one event each. */
  fresh: boolean;
}

export interface DirectoryChanges {
  added: number;
  removed: number;
}

interface Planned {
  entry: DirectoryEntry;
  known: Identity[];
  plan: IdentityPlan;
}

const TX_TIMEOUT_MS = 60_000;

/**
 * Identity discovery from a directory listing the caller already has (organization syncs): the
 * same rules as a discovery of one mailbox (primary, SMTP aliases, vanished → inactive, Send As
 * untouched), applied to a page of mailboxes with a handful of statements and no Graph call.
 */
@Injectable()
export class IdentityDirectoryService {
  constructor(
    private readonly identities: IdentityDirectoryRepository,
    private readonly prisma: PrismaService,
    private readonly outbox: OutboxService,
    private readonly config: AppConfig,
  ) {}

  applyDirectory(entries: DirectoryEntry[]): Promise<DirectoryChanges> {
    if (entries.length === 0) return Promise.resolve({ added: 0, removed: 0 });
    const now = new Date();
    const ids = entries.map((e) => e.mailboxId);
    return this.prisma.$transaction(
      async (tx) => {
        await this.identities.lockScans(tx, ids, now);
        const planned = this.plan(entries, await this.identities.forMailboxes(tx, ids));
        const changes = await this.write(tx, planned, now);
        await this.identities.recordScanned(tx, ids, now, this.nextScan(now));
        return changes;
      },
      { timeout: TX_TIMEOUT_MS },
    );
  }

  private plan(entries: DirectoryEntry[], stored: Identity[]): Planned[] {
    const byMailbox = new Map<string, Identity[]>();
    for (const identity of stored) {
      byMailbox.set(identity.mailboxId, [...(byMailbox.get(identity.mailboxId) ?? []), identity]);
    }
    return entries.map((entry) => {
      const known = byMailbox.get(entry.mailboxId) ?? [];
      return { entry, known, plan: planDiscovery(known, discoverAddresses(entry.profile)) };
    });
  }

  private async write(tx: Tx, planned: Planned[], now: Date): Promise<DirectoryChanges> {
    const inserted = await this.identities.insert(
      tx,
      planned.flatMap(({ entry, plan }) => plan.add.map((address) => ({ ...entry, address }))),
      now,
    );
    const keep = planned.flatMap((p) => p.plan.keep);
    for (const type of ['primary', 'alias'] as const) {
      const ids = keep.filter((k) => k.type === type).map((k) => k.id);
      await this.identities.markSeen(tx, ids, type, now);
    }
    await this.identities.deactivate(
      tx,
      planned.flatMap((p) => p.plan.deactivate),
    );
    await this.announce(tx, planned, inserted);
    const reactivated = keep.filter((k) => k.reactivate).length;
    const removed = planned.reduce((n, p) => n + p.plan.deactivate.length, 0);
    return { added: inserted.length + reactivated, removed };
  }

  /** identity.discovered / identity.removed for mailboxes that existed before this sync. */
  private async announce(tx: Tx, planned: Planned[], inserted: Identity[]): Promise<void> {
    const known = planned.filter((p) => !p.entry.fresh);
    const knownIds = new Set(known.map((p) => p.entry.mailboxId));
    const reactivated = known.flatMap((p) => {
      const ids = new Set(p.plan.keep.filter((k) => k.reactivate).map((k) => k.id));
      return p.known.filter((k) => ids.has(k.id));
    });
    const added = [...inserted.filter((i) => knownIds.has(i.mailboxId)), ...reactivated];
    await this.outbox.recordMany(
      tx,
      'identity.discovered',
      added.map((i) => ({
        identityId: i.id,
        mailboxId: i.mailboxId,
        workspaceId: i.workspaceId,
        email: i.email,
        type: i.type === 'primary' ? ('primary' as const) : ('alias' as const),
      })),
    );
    const removed = known.flatMap((p) => p.known.filter((k) => p.plan.deactivate.includes(k.id)));
    await this.outbox.recordMany(
      tx,
      'identity.removed',
      removed.map((i) => ({
        identityId: i.id,
        mailboxId: i.mailboxId,
        workspaceId: i.workspaceId,
        email: i.email,
      })),
    );
  }

  /** Organization mailboxes are re-read by their organization's sync, not by the re-scan job. */
  private nextScan(now: Date): Date {
    return new Date(now.getTime() + this.config.jobs.identityRescanHours * 3600_000);
  }
}
