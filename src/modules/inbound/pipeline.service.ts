import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../common/config/app-config.js';
import { runPool } from '../../common/jobs/pool.js';
import { graphFailureOf } from '../../common/microsoft/graph-error.js';
import { MailboxNeedsReauthError } from '../mailbox/mailbox.errors.js';
import { InboundMessageRepository, type InboundMessageRow } from './inbound-message.repository.js';
import { Clock } from '../../common/time/clock.js';
import { MessageProcessor } from './message.processor.js';
import { pipelineRetryMs, type ProcessOutcome } from './pipeline.rules.js';
import { describe } from './subscription.service.js';

export type PipelineResult = Record<ProcessOutcome | 'claimed' | 'retry', number>;

const REAUTH_WAIT_MS = 10 * 60_000;

/**
 * The inbound pipeline: claims due messages in the database (FOR UPDATE SKIP LOCKED with a
 * lease, so N instances never work on one message at once), processes each, and reschedules a
 * failed step with backoff until INBOUND_MAX_ATTEMPTS, then records it as failed.
 */
@Injectable()
export class PipelineService {
  private readonly logger = new Logger(PipelineService.name);

  constructor(
    private readonly messages: InboundMessageRepository,
    private readonly processor: MessageProcessor,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async runOnce(limit = this.config.inbound.concurrency * 4): Promise<PipelineResult> {
    const result: PipelineResult = {
      claimed: 0,
      replied: 0,
      triaged: 0,
      skipped: 0,
      failed: 0,
      deferred: 0,
      escalated: 0,
      drafted: 0,
      retry: 0,
    };
    const ids = await this.messages.claimDue(limit, this.config.inbound.leaseMs, this.clock.now());
    result.claimed = ids.length;
    const rows = await this.messages.findMany(ids);
    await runPool(rows, this.config.inbound.concurrency, async (row) => {
      result[await this.handle(row)] += 1;
    });
    return result;
  }

  private async handle(row: InboundMessageRow): Promise<ProcessOutcome | 'retry'> {
    try {
      return await this.processor.process(row);
    } catch (error) {
      return this.onError(row, error);
    }
  }

  private async onError(row: InboundMessageRow, error: unknown): Promise<'retry' | 'failed'> {
    if (error instanceof MailboxNeedsReauthError) {
      await this.messages.retryAt(
        row.id,
        new Date(this.clock.now().getTime() + REAUTH_WAIT_MS),
        false,
        'waiting_for_reconnect',
      );
      return 'retry';
    }
    const failure = graphFailureOf(error);
    const reason = failure.status ? `graph_${failure.status}_${failure.code}` : describe(error);
    this.logger.warn(
      { inboundMessageId: row.id, attempts: row.attempts + 1, reason },
      'pipeline step failed',
    );
    // A reply under way is never given up blindly: it may have gone out.
    if (row.attempts + 1 >= this.config.inbound.maxAttempts && row.stage !== 'replying') {
      await this.messages.finish(row.id, {
        action: 'failed',
        reason: `error:${reason}`,
        attempts: { increment: 1 },
      });
      return 'failed';
    }
    const wait = pipelineRetryMs(row.attempts, failure.retryAfterSec);
    await this.messages.retryAt(row.id, new Date(this.clock.now().getTime() + wait), true);
    return 'retry';
  }
}
