import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../common/config/app-config.js';
import { type SweepCounts, sweepLeased } from '../../common/jobs/sweep.js';
import { MailboxRepository, type RefreshCandidate } from './mailbox.repository.js';
import { REFRESH_WINDOW_MS } from './mailbox.rules.js';
import { MailboxTokenService, type RefreshOutcome } from './mailbox-token.service.js';

const LEASE_MS = 5 * 60_000;
const OUTCOMES = ['refreshed', 'retry', 'reauth', 'skipped', 'errors'] as const;

export type SweepResult = SweepCounts<(typeof OUTCOMES)[number]>;

/**
 * One sweep of the token refresh job: lease due credentials in batches and refresh them with
 * bounded concurrency until none are due.
 */
@Injectable()
export class MailboxRefreshJob {
  private readonly logger = new Logger(MailboxRefreshJob.name);

  constructor(
    private readonly mailboxes: MailboxRepository,
    private readonly tokens: MailboxTokenService,
    private readonly config: AppConfig,
  ) {}

  async sweep(maxBatches = 100): Promise<SweepResult> {
    const { concurrency } = this.config.jobs.tokenRefresh;
    let vanished = 0;
    const result = await sweepLeased({
      outcomes: OUTCOMES,
      claim: async (limit) => {
        const ids = await this.mailboxes.claimDueForRefresh(REFRESH_WINDOW_MS, limit, LEASE_MS);
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
      return await this.tokens.refreshCandidate(candidate);
    } catch (error) {
      this.logger.error({ mailboxId: candidate.mailboxId, err: error }, 'token refresh crashed');
      return 'errors';
    }
  }
}
