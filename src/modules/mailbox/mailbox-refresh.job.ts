import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../common/config/app-config.js';
import { type SweepCounts, sweepLeased } from '../../common/jobs/sweep.js';
import { MailboxRepository, type RefreshCandidate } from './mailbox.repository.js';
import { MailboxRefreshService, type RefreshOutcome } from './mailbox-refresh.service.js';

const LEASE_MS = 5 * 60_000;
const OUTCOMES = ['refreshed', 'retry', 'reauth', 'skipped', 'errors'] as const;

export type SweepResult = SweepCounts<(typeof OUTCOMES)[number]>;

/**
 * One sweep of the token refresh job: lease credentials due when the sweep started, in batches,
 * and refresh them with bounded concurrency until none are left. A refreshed credential is
 * scheduled after the sweep's start, so one sweep refreshes it at most once.
 */
@Injectable()
export class MailboxRefreshJob {
  private readonly logger = new Logger(MailboxRefreshJob.name);

  constructor(
    private readonly mailboxes: MailboxRepository,
    private readonly refresher: MailboxRefreshService,
    private readonly config: AppConfig,
  ) {}

  async sweep(maxBatches = 100): Promise<SweepResult> {
    const { concurrency } = this.config.jobs.tokenRefresh;
    const asOf = new Date();
    let vanished = 0;
    const result = await sweepLeased({
      outcomes: OUTCOMES,
      claim: async (limit) => {
        const ids = await this.mailboxes.claimDueForRefresh(asOf, limit, LEASE_MS);
        const candidates = await this.mailboxes.findRefreshCandidates(ids);
        vanished += ids.length - candidates.length;
        return candidates;
      },
      batchSize: concurrency * 4,
      concurrency,
      maxBatches,
      work: (candidate) => this.refreshOne(candidate),
    });
    return { ...result, claimed: result.claimed + vanished, skipped: result.skipped + vanished };
  }

  private async refreshOne(candidate: RefreshCandidate): Promise<RefreshOutcome | 'errors'> {
    try {
      return await this.refresher.refreshCandidate(candidate);
    } catch (error) {
      this.logger.error({ mailboxId: candidate.mailboxId, err: error }, 'token refresh crashed');
      return 'errors';
    }
  }
}
