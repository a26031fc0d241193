import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../common/config/app-config.js';
import { type SweepCounts, sweepLeased } from '../../common/jobs/sweep.js';
import { IdentityScanRepository } from './identity-scan.repository.js';
import { IdentityDiscoveryService } from './identity.service.js';

const LEASE_MS = 10 * 60_000;

/** One sweep of the re-scan job: lease due mailboxes, discover each (bounded concurrency). */
@Injectable()
export class IdentityScanJob {
  private readonly logger = new Logger(IdentityScanJob.name);

  constructor(
    private readonly scans: IdentityScanRepository,
    private readonly discovery: IdentityDiscoveryService,
    private readonly config: AppConfig,
  ) {}

  sweep(maxBatches = 100): Promise<SweepCounts<'scanned' | 'failed'>> {
    const concurrency = this.config.jobs.identityScanConcurrency;
    return sweepLeased({
      outcomes: ['scanned', 'failed'],
      claim: (limit) => this.scans.claimDue(limit, LEASE_MS),
      batchSize: concurrency * 4,
      concurrency,
      maxBatches,
      work: async (id) => ((await this.scanOne(id)) ? ('scanned' as const) : ('failed' as const)),
    });
  }

  private async scanOne(mailboxId: string): Promise<boolean> {
    try {
      return (await this.discovery.discover(mailboxId)).ok;
    } catch (error) {
      this.logger.error({ mailboxId, err: error }, 'identity scan crashed');
      await this.scans.release(mailboxId);
      return false;
    }
  }
}
