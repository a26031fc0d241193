import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { AuditService } from '../../common/audit/audit.service.js';
import type { Actor } from '../../common/auth/actor.js';
import { PrismaService } from '../../common/database/prisma.service.js';
import { OutboxService } from '../../common/events/outbox.service.js';
import {
  type OrganizationMailboxCounts,
  OrganizationMailboxService,
} from '../mailbox/organization-mailbox.service.js';
import { OrganizationNotFoundError } from './admin-consent.errors.js';
import { OrganizationRepository, type OrganizationRow } from './organization.repository.js';
import { OrganizationSyncService, refOf } from './organization-sync.service.js';

const SYNC_LEASE_MS = 30 * 60_000;

export type { OrganizationRow } from './organization.repository.js';

export interface OrganizationView extends OrganizationRow {
  mailboxCounts: OrganizationMailboxCounts;
}

export interface ConsentGrant {
  workspaceId: string;
  userId: string;
  tenantId: string;
}

/** Connected organizations of a workspace: consent recorded, listed, synced on request, removed. */
@Injectable()
export class OrganizationService {
  private readonly logger = new Logger(OrganizationService.name);

  constructor(
    private readonly organizations: OrganizationRepository,
    private readonly syncs: OrganizationSyncService,
    private readonly mailboxes: OrganizationMailboxService,
    private readonly prisma: PrismaService,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
  ) {}

  /**
   * An admin consented: the organization (new, needing consent again, or removed before) is
   * fresh and due for a sync; mailboxes suspended for its consent are active again at once.
   */
  async grantConsent(grant: ConsentGrant): Promise<OrganizationRow> {
    const now = new Date();
    const row = await this.prisma.$transaction(async (tx) => {
      const before = await this.organizations.findByTenant(tx, grant.workspaceId, grant.tenantId);
      const org = await this.organizations.upsertConsented(
        tx,
        {
          id: before?.id ?? randomUUID(),
          workspaceId: grant.workspaceId,
          tenantId: grant.tenantId,
          connectedByUserId: grant.userId,
        },
        now,
      );
      const resumed = before ? await this.mailboxes.resume(tx, org.id) : 0;
      await this.outbox.record(tx, 'organization.consent-granted', {
        organizationId: org.id,
        workspaceId: org.workspaceId,
        tenantId: org.tenantId,
        reconnected: before !== null,
        via: 'link',
      });
      await this.audit.record(tx, {
        workspaceId: grant.workspaceId,
        actor: { type: 'user', id: grant.userId },
        action: before ? 'organization.consent_renewed' : 'organization.consent_granted',
        target: { type: 'organization', id: org.id },
        metadata: { tenantId: grant.tenantId, previousStatus: statusOf(before), resumed },
      });
      return org;
    });
    this.logger.log(
      { organizationId: row.id, workspaceId: row.workspaceId },
      'admin consent granted',
    );
    return row;
  }

  /**
   * Syncs now if no sync holds the organization, waiting up to `budgetMs` for it (the rest
   * goes on in the background under the lease; the job takes over if this process dies).
   */
  async syncNow(id: string, budgetMs: number): Promise<'finished' | 'running'> {
    if (!(await this.organizations.claimOne(id, SYNC_LEASE_MS))) return 'running';
    const work = this.syncs.runClaimed(id).catch((error: unknown) => {
      this.logger.error({ organizationId: id, err: error }, 'organization sync crashed');
    });
    const timer = new AbortController();
    const budget = new Promise<'running'>((resolve) => {
      const handle = setTimeout(() => resolve('running'), budgetMs);
      timer.signal.addEventListener('abort', () => clearTimeout(handle));
    });
    const outcome = await Promise.race([work.then(() => 'finished' as const), budget]);
    timer.abort();
    return outcome;
  }

  /** Due at the sync job's next run (idempotent; a removed organization is left alone). */
  async syncSoon(id: string): Promise<void> {
    await this.organizations.requestSync(id, new Date());
  }

  async get(actor: Actor, id: string): Promise<OrganizationView> {
    const [view] = await this.views([await this.find(actor, id)]);
    return view;
  }

  async list(actor: Actor, limit: number, cursor?: string) {
    const rows = await this.organizations.listInWorkspace(actor.workspaceId, limit + 1, cursor);
    const items = await this.views(rows.slice(0, limit));
    return { items, nextCursor: rows.length > limit ? items[items.length - 1].id : null };
  }

  /** Sync button: the organization after a sync (or `syncing` while a long one goes on). */
  async requestSync(actor: Actor, id: string, budgetMs: number) {
    const row = await this.find(actor, id);
    const outcome = await this.syncNow(row.id, budgetMs);
    return { outcome, organization: await this.get(actor, id) };
  }

  /**
   * Removes the organization from the workspace: its mailboxes retire (their identities are
   * retired and unassigned, orphaned queued messages cancelled, through `mailbox.disconnected`);
   * history stays. Microsoft's side is untouched: the tenant's admin removes the enterprise app.
   */
  async remove(actor: Actor, id: string): Promise<{ row: OrganizationRow; retired: number }> {
    const now = new Date();
    const result = await this.prisma.$transaction(async (tx) => {
      if (!(await this.organizations.lockConnected(tx, id, 'update')))
        throw new OrganizationNotFoundError();
      const before = await this.find(actor, id);
      const retired = await this.mailboxes.retireAll(tx, refOf(before));
      const row = await this.organizations.markRemoved(tx, id, now);
      await this.audit.record(tx, {
        workspaceId: actor.workspaceId,
        actor: { type: 'user', id: actor.userId },
        action: 'organization.removed',
        target: { type: 'organization', id },
        metadata: { tenantId: row.tenantId, retiredMailboxes: retired },
      });
      return { row, retired };
    });
    this.logger.log({ organizationId: id, retired: result.retired }, 'organization removed');
    return result;
  }

  private async find(actor: Actor, id: string): Promise<OrganizationRow> {
    const row = await this.organizations.findInWorkspace(actor.workspaceId, id);
    if (!row) throw new OrganizationNotFoundError();
    return row;
  }

  private async views(rows: OrganizationRow[]): Promise<OrganizationView[]> {
    const counts = await this.mailboxes.counts(rows.map((r) => r.id));
    return rows.map((row) => ({
      ...row,
      mailboxCounts: counts.get(row.id) as OrganizationMailboxCounts,
    }));
  }
}

function statusOf(row: OrganizationRow | null): string | null {
  if (!row) return null;
  return row.removedAt ? 'removed' : row.status;
}
