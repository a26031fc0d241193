import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../common/config/app-config.js';
import { runPool } from '../../common/jobs/pool.js';
import { IdentityScanRepository } from './identity-scan.repository.js';
import { IdentityDiscoveryService } from './identity.service.js';

const LEASE_MS = 10 * 60_000;

export interface ScanSweepResult {
  [count: string]: number;
  claimed: number;
  scanned: number;
  failed: number;
}

/** One sweep of the re-scan job: lease due mailboxes, discover each (bounded concurrency). */
@Injectable()
export class IdentityScanJob {
  private readonly logger = new Logger(IdentityScanJob.name);

  constructor(
    private readonly scans: IdentityScanRepository,
    private readonly discovery: IdentityDiscoveryService,
    private readonly config: AppConfig,
  ) {}

  async sweep(maxBatches = 100): Promise<ScanSweepResult> {
    const result: ScanSweepResult = { claimed: 0, scanned: 0, failed: 0 };
    const concurrency = this.config.jobs.identityScanConcurrency;
    for (let batch = 0; batch < maxBatches; batch += 1) {
      const ids = await this.scans.claimDue(concurrency * 4, LEASE_MS);
      if (ids.length === 0) break;
      result.claimed += ids.length;
      await runPool(ids, concurrency, async (id) => {
        result[(await this.scanOne(id)) ? 'scanned' : 'failed'] += 1;
      });
    }
    return result;
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
