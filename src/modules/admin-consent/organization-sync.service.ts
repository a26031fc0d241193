import { Injectable, Logger } from '@nestjs/common';
import { AuditService } from '../../common/audit/audit.service.js';
import { AppConfig } from '../../common/config/app-config.js';
import { PrismaService } from '../../common/database/prisma.service.js';
import { OutboxService } from '../../common/events/outbox.service.js';
import { AppTokenService } from '../../common/microsoft/app-token.service.js';
import { graphFailureOf } from '../../common/microsoft/graph-error.js';
import { TokenGrantError } from '../../common/microsoft/token-grant.error.js';
import { OrganizationMailboxService } from '../mailbox/organization-mailbox.service.js';
import { OrganizationRemovedError } from './admin-consent.errors.js';
import { DirectorySyncService, type DirectorySyncResult } from './directory-sync.service.js';
import { OrganizationRepository, type OrganizationRow } from './organization.repository.js';
import { flatCounts } from './sync-counts.js';
import {
  judgeSyncFailure,
  nextRegularSync,
  statusAfterFailure,
  type SyncFailure,
  syncRetryDelayMs,
} from './sync.rules.js';
import { TenantDirectoryClient } from './tenant-directory.client.js';

export type SyncOutcome = 'synced' | 'consent_lost' | 'failed' | 'skipped';

/**
 * One organization's sync, on a leased row: fresh app-only token, directory pass, then the
 * outcome recorded — active with counts; needs_consent (mailboxes suspended in the same
 * transaction, `organization.consent-revoked`); or a failure retried with backoff.
 */
@Injectable()
export class OrganizationSyncService {
  private readonly logger = new Logger(OrganizationSyncService.name);

  constructor(
    private readonly organizations: OrganizationRepository,
    private readonly directory: TenantDirectoryClient,
    private readonly directorySync: DirectorySyncService,
    private readonly mailboxes: OrganizationMailboxService,
    private readonly appTokens: AppTokenService,
    private readonly prisma: PrismaService,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  /** Syncs an organization this worker has leased; releases the lease whatever happens. */
  async runClaimed(id: string): Promise<SyncOutcome> {
    const row = await this.organizations.findConnected(id);
    if (!row) {
      await this.organizations.release(id);
      return 'skipped';
    }
    await this.organizations.markSyncing(id);
    const started = Date.now();
    try {
      await this.directory.freshToken(row.tenantId);
      const result = await this.directorySync.run(refOf(row));
      await this.recordSuccess(row, result);
      this.logger.log(
        {
          organizationId: id,
          pages: result.pages,
          ...flatCounts(result.counts),
          ms: Date.now() - started,
        },
        'organization synced',
      );
      return 'synced';
    } catch (error) {
      return this.recordFailure(row, error);
    }
  }

  private async recordSuccess(row: OrganizationRow, result: DirectorySyncResult): Promise<void> {
    const now = new Date();
    await this.prisma.$transaction(async (tx) => {
      const nextSyncAt = nextRegularSync(now, this.config.organizations.syncHours);
      await this.organizations.recordSuccess(
        tx,
        row.id,
        { counts: { ...result.counts }, primaryDomain: result.primaryDomain, nextSyncAt },
        now,
      );
      const resumed = await this.mailboxes.resume(tx, row.id);
      if (row.status === 'needs_consent') {
        await this.outbox.record(tx, 'organization.consent-granted', {
          ...eventIds(row),
          reconnected: true,
          via: 'sync',
        });
      }
      await this.audit.record(tx, {
        workspaceId: row.workspaceId,
        actor: { type: 'system' },
        action: 'organization.synced',
        target: { type: 'organization', id: row.id },
        metadata: { ...flatCounts(result.counts), pages: result.pages, resumed },
      });
    });
  }

  private async recordFailure(row: OrganizationRow, error: unknown): Promise<SyncOutcome> {
    if (error instanceof OrganizationRemovedError) {
      await this.organizations.release(row.id);
      return 'skipped';
    }
    const now = new Date();
    const failure = failureOf(error);
    const verdict = judgeSyncFailure(failure, row.grantedAt, now);
    if (verdict.kind === 'consent_lost') return this.recordConsentLost(row, verdict.error, now);
    const failures = row.syncFailures + 1;
    const nextSyncAt = new Date(now.getTime() + syncRetryDelayMs(failures, failure.retryAfterSec));
    await this.organizations.recordFailure(
      row.id,
      { status: statusAfterFailure(row), error: verdict.error, failures, nextSyncAt },
      now,
    );
    this.logger.warn(
      {
        organizationId: row.id,
        error: verdict.error,
        failures,
        nextSyncAt,
        err: unexpected(error),
      },
      'organization sync failed; will retry',
    );
    return 'failed';
  }

  private async recordConsentLost(row: OrganizationRow, error: string, now: Date) {
    this.appTokens.forget(row.tenantId);
    const nextSyncAt = nextRegularSync(now, this.config.organizations.syncHours);
    if (row.status === 'needs_consent') {
      const status = 'needs_consent';
      await this.organizations.recordFailure(
        row.id,
        { status, error, failures: 0, nextSyncAt },
        now,
      );
      return 'consent_lost';
    }
    const lost = await this.prisma.$transaction(async (tx) => {
      const updated = await this.organizations.recordConsentLost(
        tx,
        row,
        { reason: 'consent_revoked', error, nextSyncAt },
        now,
      );
      if (!updated) return false;
      const suspended = await this.mailboxes.suspend(tx, row.id);
      await this.outbox.record(tx, 'organization.consent-revoked', {
        ...eventIds(row),
        reason: 'consent_revoked',
      });
      await this.audit.record(tx, {
        workspaceId: row.workspaceId,
        actor: { type: 'system' },
        action: 'organization.consent_lost',
        target: { type: 'organization', id: row.id },
        metadata: { tenantId: row.tenantId, error, suspendedMailboxes: suspended },
      });
      return true;
    });
    if (!lost) await this.organizations.requestSync(row.id, now);
    this.logger.warn({ organizationId: row.id, error }, 'organization lost admin consent');
    return lost ? 'consent_lost' : 'failed';
  }
}

export function refOf(row: OrganizationRow) {
  return {
    organizationId: row.id,
    workspaceId: row.workspaceId,
    tenantId: row.tenantId,
    connectedByUserId: row.connectedByUserId,
  };
}

function eventIds(row: OrganizationRow) {
  return { organizationId: row.id, workspaceId: row.workspaceId, tenantId: row.tenantId };
}

function failureOf(error: unknown): SyncFailure {
  if (error instanceof TokenGrantError) {
    return {
      source: 'token',
      status: error.status,
      code: error.error,
      retryAfterSec: error.retryAfterSec,
    };
  }
  if (typeof (error as { statusCode?: unknown })?.statusCode !== 'number')
    return { source: 'graph', status: 0, code: 'internal_error' };
  const graph = graphFailureOf(error);
  return {
    source: 'graph',
    status: graph.status,
    code: graph.code,
    retryAfterSec: graph.retryAfterSec,
  };
}

/** Errors that are not Microsoft's answer (a bug, the database) are logged in full. */
function unexpected(error: unknown): unknown {
  const isGraph = typeof (error as { statusCode?: unknown })?.statusCode === 'number';
  return error instanceof TokenGrantError || isGraph ? undefined : error;
}
