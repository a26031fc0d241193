import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../common/config/app-config.js';
import { runPool } from '../../common/jobs/pool.js';
import { MailboxRepository, type RefreshCandidate } from './mailbox.repository.js';
import { REFRESH_WINDOW_MS } from './mailbox.rules.js';
import { MailboxTokenService, type RefreshOutcome } from './mailbox-token.service.js';

const LEASE_MS = 5 * 60_000;

export interface SweepResult {
  [count: string]: number;
  claimed: number;
  refreshed: number;
  retry: number;
  reauth: number;
  skipped: number;
  errors: number;
}

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
    const result: SweepResult = {
      claimed: 0,
      refreshed: 0,
      retry: 0,
      reauth: 0,
      skipped: 0,
      errors: 0,
    };
    const { concurrency } = this.config.jobs.tokenRefresh;
    for (let batch = 0; batch < maxBatches; batch += 1) {
      const ids = await this.mailboxes.claimDueForRefresh(
        REFRESH_WINDOW_MS,
        concurrency * 4,
        LEASE_MS,
      );
      if (ids.length === 0) break;
      result.claimed += ids.length;
      const candidates = await this.mailboxes.findRefreshCandidates(ids);
      result.skipped += ids.length - candidates.length;
      await runPool(candidates, concurrency, async (candidate) => {
        const outcome = await this.refreshOne(candidate);
        result[outcome] += 1;
      });
    }
    return result;
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
