import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../common/config/app-config.js';
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
      let next = 0;
      const worker = async () => {
        while (next < ids.length) {
          const ok = await this.scanOne(ids[next++]);
          result[ok ? 'scanned' : 'failed'] += 1;
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, ids.length) }, worker));
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
