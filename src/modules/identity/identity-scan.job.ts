import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../common/config/app-config.js';
import { type SweepCounts, sweepLeased } from '../../common/jobs/sweep.js';
import { IdentityScanRepository, type ScanSubject } from './identity-scan.repository.js';
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
      claim: (limit) => this.claim(limit),
      batchSize: concurrency * 4,
      concurrency,
      maxBatches,
      work: async ({ mailboxId, subject }) =>
        (await this.scanOne(mailboxId, subject)) ? ('scanned' as const) : ('failed' as const),
    });
  }

  /** A batch of leases with their mailboxes and stored identities (one read for the batch). */
  private async claim(
    limit: number,
  ): Promise<Array<{ mailboxId: string; subject: ScanSubject | undefined }>> {
    const ids = await this.scans.claimDue(limit, LEASE_MS);
    const subjects = await this.scans.loadSubjects(ids);
    return ids.map((mailboxId) => ({ mailboxId, subject: subjects.get(mailboxId) }));
  }

  private async scanOne(mailboxId: string, subject: ScanSubject | undefined): Promise<boolean> {
    // Disconnected since the claim: nothing to scan (the claim no longer picks it up).
    if (!subject) return false;
    try {
      return (await this.discovery.discoverLoaded(subject.mailbox, subject.known)).ok;
    } catch (error) {
      this.logger.error({ mailboxId, err: error }, 'identity scan crashed');
      await this.scans.release(mailboxId);
      return false;
    }
  }
}
