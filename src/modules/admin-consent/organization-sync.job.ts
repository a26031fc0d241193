import { Injectable, Logger } from '@nestjs/common';
import { type SweepCounts, sweepLeased } from '../../common/jobs/sweep.js';
import { OrganizationRepository } from './organization.repository.js';
import { OrganizationSyncService, type SyncOutcome } from './organization-sync.service.js';

const LEASE_MS = 30 * 60_000;
/** Organizations synced at once per instance (each sync reads pages one after another). */
const CONCURRENCY = 2;

/** One sweep of the organization sync job: lease due organizations, sync each. */
@Injectable()
export class OrganizationSyncJob {
  private readonly logger = new Logger(OrganizationSyncJob.name);

  constructor(
    private readonly organizations: OrganizationRepository,
    private readonly syncs: OrganizationSyncService,
  ) {}

  sweep(maxBatches = 10): Promise<SweepCounts<SyncOutcome>> {
    return sweepLeased({
      outcomes: ['synced', 'consent_lost', 'failed', 'skipped'] as const,
      claim: (limit) => this.organizations.claimDue(limit, LEASE_MS),
      batchSize: CONCURRENCY * 2,
      concurrency: CONCURRENCY,
      maxBatches,
      work: (id) => this.syncOne(id),
    });
  }

  private async syncOne(id: string): Promise<SyncOutcome> {
    try {
      return await this.syncs.runClaimed(id);
    } catch (error) {
      this.logger.error({ organizationId: id, err: error }, 'organization sync crashed');
      await this.organizations.release(id);
      return 'failed';
    }
  }
}
