import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../common/config/app-config.js';
import { Settling, type SweepCounts, sweepLeased } from '../../common/jobs/sweep.js';
import { MailboxRepository, type RefreshCandidate } from './mailbox.repository.js';
import { MailboxRefreshService } from './mailbox-refresh.service.js';

const LEASE_MS = 5 * 60_000;
const OUTCOMES = ['refreshed', 'retry', 'reauth', 'skipped', 'errors'] as const;

type Outcome = (typeof OUTCOMES)[number];
export type SweepResult = SweepCounts<Outcome>;

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

  /** The worker goes on while a refreshed credential's tokens are being stored. */
  private async refreshOne(candidate: RefreshCandidate): Promise<Outcome | Settling<Outcome>> {
    try {
      const outcome = await this.refresher.refreshLeased(candidate);
      if (!(outcome instanceof Settling)) return outcome;
      return new Settling(
        outcome.outcome.catch((error: unknown) => this.crashed(candidate, error)),
      );
    } catch (error) {
      return this.crashed(candidate, error);
    }
  }

  private crashed(candidate: RefreshCandidate, error: unknown): 'errors' {
    this.logger.error({ mailboxId: candidate.mailboxId, err: error }, 'token refresh crashed');
    return 'errors';
  }
}
