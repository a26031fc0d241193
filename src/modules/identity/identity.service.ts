import { Injectable, Logger } from '@nestjs/common';
import { AuditService, auditActor } from '../../common/audit/audit.service.js';
import type { Actor } from '../../common/auth/actor.js';
import { AppConfig } from '../../common/config/app-config.js';
import { PrismaService } from '../../common/database/prisma.service.js';
import { OutboxService } from '../../common/events/outbox.service.js';
import { graphFailureOf } from '../../common/microsoft/graph-error.js';
import { DomainError } from '../../common/errors/domain-error.js';
import type { MailboxRow } from '../mailbox/mailbox.service.js';
import { MailboxService } from '../mailbox/mailbox.service.js';
import {
  MailboxGraphService,
  type PrefetchedCredential,
} from '../mailbox/mailbox-graph.service.js';
import { MailboxNeedsReauthError } from '../mailbox/mailbox.errors.js';
import { DiscoveryFailedError } from './identity.errors.js';
import { IdentityRepository, type IdentityRow } from './identity.repository.js';
import { type DirectoryProfile, discoverAddresses, planDiscovery } from './identity.rules.js';
import { GroupCommit } from '../../common/jobs/group-commit.js';
import { IdentityScanRepository, type SeenRow } from './identity-scan.repository.js';

const PROFILE_SELECT = 'id,mail,userPrincipalName,displayName,proxyAddresses';
const FAILURE_RETRY_MS = 15 * 60 * 1000;

export interface IdentityChanges {
  added: IdentityRow[];
  removed: IdentityRow[];
}

export type DiscoveryOutcome =
  { ok: true; changes: IdentityChanges } | { ok: false; reason: string; needsReauth: boolean };

/** A re-scan whose outcome is known; `recorded` settles once it is stored. */
export interface RescanOutcome {
  ok: boolean;
  recorded: Promise<void>;
}

const RECORDED = Promise.resolve();

/**
 * Identity discovery: one Graph call for the mailbox owner's addresses, reconciled with what is
 * stored (new ones added, vanished ones inactive, returning ones active again, Send As never
 * touched), events and scan state committed together.
 */
@Injectable()
export class IdentityDiscoveryService {
  private readonly logger = new Logger(IdentityDiscoveryService.name);
  /** Unchanged re-scans finishing together are recorded in one statement (group commit). */
  private readonly seen = new GroupCommit<SeenRow>((rows) => this.scans.recordSeenMany(rows));

  constructor(
    private readonly identities: IdentityRepository,
    private readonly scans: IdentityScanRepository,
    private readonly mailboxes: MailboxService,
    private readonly graph: MailboxGraphService,
    private readonly prisma: PrismaService,
    private readonly outbox: OutboxService,
    private readonly config: AppConfig,
    private readonly audit: AuditService,
  ) {}

  /** Discovers and records; never throws for Microsoft failures (they are recorded on the scan). */
  async discover(mailboxId: string): Promise<DiscoveryOutcome> {
    const mailbox = await this.mailboxes.findActive(mailboxId);
    if (!mailbox) return { ok: false, reason: 'mailbox_not_found', needsReauth: false };
    return this.discoverLoaded(mailbox);
  }

  /**
   * As discover, for a mailbox already read (the re-scan job reads a whole batch at once), with
   * its stored identities when the caller has them: they only decide whether anything changed;
   * a change is applied from a fresh read under the scan row's lock.
   */
  async discoverLoaded(mailbox: MailboxRow, known?: IdentityRow[]): Promise<DiscoveryOutcome> {
    const { outcome, recorded } = await this.run(mailbox, known);
    await recorded;
    return outcome;
  }

  /**
   * As discoverLoaded, for the re-scan sweep: returns once Graph has answered, with the
   * credential read with the batch; an unchanged re-scan's sighting is then still being
   * group-committed (`recorded`), so the sweep's worker can take its next mailbox meanwhile.
   */
  async rescan(
    mailbox: MailboxRow,
    known: IdentityRow[],
    credential?: PrefetchedCredential,
  ): Promise<RescanOutcome> {
    const { outcome, recorded } = await this.run(mailbox, known, credential);
    return { ok: outcome.ok, recorded };
  }

  private async run(
    mailbox: MailboxRow,
    known?: IdentityRow[],
    credential?: PrefetchedCredential,
  ): Promise<{ outcome: DiscoveryOutcome; recorded: Promise<void> }> {
    const mailboxId = mailbox.id;
    const profile = await this.fetchProfile(mailbox, credential);
    if (!profile.ok) {
      await this.scans.recordFailure(
        mailbox.id,
        profile.reason,
        new Date(),
        new Date(Date.now() + FAILURE_RETRY_MS),
      );
      this.logger.warn({ mailboxId, reason: profile.reason }, 'identity discovery failed');
      return { outcome: profile, recorded: RECORDED };
    }
    const { changes, recorded } = await this.apply(mailbox, profile.profile, known);
    if (changes.added.length || changes.removed.length) {
      this.logger.log(
        { mailboxId, added: changes.added.length, removed: changes.removed.length },
        'identities changed',
      );
    }
    return { outcome: { ok: true, changes }, recorded };
  }

  /** After a connect: discover unless the connect flow already did it inline moments ago. */
  async discoverUnlessRecent(mailboxId: string, withinMs = 5 * 60_000): Promise<void> {
    const scan = await this.scans.find(mailboxId);
    if (scan?.scannedAt && scan.scannedAt.getTime() > Date.now() - withinMs) return;
    await this.discover(mailboxId);
  }

  /**
   * Disconnect: discovered identities become inactive and leave their sender profiles (a
   * reconnect brings them back through discovery); hand-entered Send As addresses are dropped.
   */
  async retireMailbox(mailboxId: string): Promise<number> {
    const retired = await this.prisma.$transaction((tx) =>
      this.identities.retireMailbox(tx, mailboxId),
    );
    this.logger.log({ mailboxId, retired }, 'identities retired');
    return retired;
  }

  /**
   * As discover, for the Refresh button: failures become errors the user sees. With an `actor`
   * (staff in the operations console) the refresh and its outcome are audited.
   */
  async refresh(mailboxId: string, actor?: Actor): Promise<IdentityChanges> {
    const outcome = await this.discover(mailboxId);
    if (actor) await this.auditRefresh(mailboxId, actor, outcome);
    if (outcome.ok) return outcome.changes;
    if (outcome.needsReauth) throw new MailboxNeedsReauthError();
    throw new DiscoveryFailedError(outcome.reason);
  }

  private async auditRefresh(
    mailboxId: string,
    actor: Actor,
    outcome: DiscoveryOutcome,
  ): Promise<void> {
    const metadata: Record<string, string | number> = outcome.ok
      ? {
          outcome: 'ok',
          added: outcome.changes.added.length,
          removed: outcome.changes.removed.length,
        }
      : { outcome: 'failed', reason: outcome.reason };
    await this.prisma.$transaction((tx) =>
      this.audit.record(tx, {
        workspaceId: actor.workspaceId,
        actor: auditActor(actor),
        action: 'mailbox.identities_refreshed',
        target: { type: 'mailbox', id: mailboxId },
        metadata,
      }),
    );
  }

  private async fetchProfile(
    mailbox: MailboxRow,
    credential?: PrefetchedCredential,
  ): Promise<
    { ok: true; profile: DirectoryProfile } | { ok: false; reason: string; needsReauth: boolean }
  > {
    if (mailbox.status === 'needs_reauth')
      return { ok: false, reason: 'needs_reauth', needsReauth: true };
    try {
      const profile = (await this.graph.call(
        mailbox,
        ({ client, path }) => client.api(path).select(PROFILE_SELECT).get(),
        { credential },
      )) as DirectoryProfile;
      return { ok: true, profile };
    } catch (error) {
      if (error instanceof DomainError) {
        return {
          ok: false,
          reason: error.code,
          needsReauth: error.code === 'mailbox_needs_reauth',
        };
      }
      const failure = graphFailureOf(error);
      return {
        ok: false,
        reason: `graph_${failure.status || 'network'}_${failure.code}`,
        needsReauth: false,
      };
    }
  }

  private async apply(
    mailbox: MailboxRow,
    profile: DirectoryProfile,
    stored?: IdentityRow[],
  ): Promise<{ changes: IdentityChanges; recorded: Promise<void> }> {
    const now = new Date();
    const seen = await this.unchanged(mailbox, profile, now, stored);
    if (seen) return { changes: { added: [], removed: [] }, recorded: seen.recorded };
    const changes = await this.applyChanges(mailbox, profile, now);
    return { changes, recorded: RECORDED };
  }

  /** A change: applied from a fresh read under the scan row's lock, with its events. */
  private applyChanges(
    mailbox: MailboxRow,
    profile: DirectoryProfile,
    now: Date,
  ): Promise<IdentityChanges> {
    return this.prisma.$transaction(async (tx) => {
      await this.scans.lockForApply(tx, mailbox.id, now);
      const known = await this.identities.forMailbox(mailbox.id, tx);
      const plan = planDiscovery(known, discoverAddresses(profile));
      const inserted = await this.identities.insertDiscovered(tx, mailbox, plan.add, now);
      for (const type of ['primary', 'alias'] as const) {
        await this.identities.markSeen(
          tx,
          plan.keep.filter((k) => k.type === type).map((k) => k.id),
          type,
          now,
        );
      }
      await this.identities.deactivate(tx, plan.deactivate);
      const reactivatedIds = new Set(plan.keep.filter((k) => k.reactivate).map((k) => k.id));
      const added = [
        ...inserted,
        ...known
          .filter((k) => reactivatedIds.has(k.id))
          .map((k) => ({ ...k, status: 'active' as const, lastSeenAt: now })),
      ];
      const removed = known
        .filter((k) => plan.deactivate.includes(k.id))
        .map((k) => ({ ...k, status: 'inactive' as const }));
      const ids = { mailboxId: mailbox.id, workspaceId: mailbox.workspaceId };
      await this.outbox.recordMany(
        tx,
        'identity.discovered',
        added.map((i) => ({
          ...ids,
          identityId: i.id,
          email: i.email,
          type: i.type === 'primary' ? ('primary' as const) : ('alias' as const),
        })),
      );
      await this.outbox.recordMany(
        tx,
        'identity.removed',
        removed.map((i) => ({ ...ids, identityId: i.id, email: i.email })),
      );
      await this.scans.recordSuccess(mailbox.id, now, this.nextScan(now), tx);
      return { added, removed };
    });
  }

  /**
   * The usual re-scan: Microsoft lists exactly what we know. Then only `lastSeenAt` and the scan
   * state are touched, without a transaction (nothing to keep consistent, no events), grouped
   * with the other re-scans finishing at the same time (one statement for all of them).
   */
  private async unchanged(
    mailbox: MailboxRow,
    profile: DirectoryProfile,
    now: Date,
    stored?: IdentityRow[],
  ): Promise<{ recorded: Promise<void> } | null> {
    const known = stored ?? (await this.identities.forMailbox(mailbox.id));
    const plan = planDiscovery(known, discoverAddresses(profile));
    const typeOf = new Map(known.map((k) => [k.id, k.type]));
    const same =
      plan.add.length === 0 &&
      plan.deactivate.length === 0 &&
      plan.keep.every((k) => !k.reactivate && typeOf.get(k.id) === k.type);
    if (!same) return null;
    const recorded = this.seen.add({
      mailboxId: mailbox.id,
      identityIds: plan.keep.map((k) => k.id),
      now,
      nextScanAt: this.nextScan(now),
    });
    return { recorded };
  }

  /** Next re-scan: the configured interval with ±10 % jitter, so mailboxes spread over the day. */
  private nextScan(now: Date): Date {
    const interval = this.config.jobs.identityRescanHours * 3600_000;
    return new Date(now.getTime() + interval * (0.9 + 0.2 * Math.random()));
  }
}
