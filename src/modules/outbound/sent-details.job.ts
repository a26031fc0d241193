import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../common/config/app-config.js';
import { runPool } from '../../common/jobs/pool.js';
import type { SweepCounts } from '../../common/jobs/sweep.js';
import { graphFailureOf } from '../../common/microsoft/graph-error.js';
import { MailboxTokenUnavailableError } from '../mailbox/mailbox.errors.js';
import { nextDetailsStep, type DetailsStep, type LookupResult } from './sent-details.rules.js';
import { type PendingLookup, SentDetailsRepository } from './sent-details.repository.js';
import { SentItemsChecker } from './sent-items.checker.js';

const LEASE_MS = 2 * 60_000;
/** Mailboxes looked up at once (each mailbox's lookups one after another). */
const CONCURRENCY = 4;
const BATCH = 20;
const OUTCOMES = ['stored', 'retry', 'unavailable', 'gave_up', 'errors'] as const;

export type SentDetailsResult = SweepCounts<(typeof OUTCOMES)[number]>;

/**
 * Graph sendMail answers 202 without any id, so a sent message's internetMessageId and
 * conversationId are read afterwards from its copy in the mailbox's Sent Items, found by the
 * marker the send carried. A message is looked up once Exchange has had time to file the copy
 * (OUTBOUND_SENT_ITEMS_SETTLE_MS after sending); not there yet → again later with backoff,
 * given up after a bounded number of lookups or time. A mailbox that cannot be read (no token,
 * re-auth needed, disconnected, Graph failing) does not use up lookups.
 */
@Injectable()
export class SentDetailsJob {
  private readonly logger = new Logger(SentDetailsJob.name);

  constructor(
    private readonly pending: SentDetailsRepository,
    private readonly sentItems: SentItemsChecker,
    private readonly config: AppConfig,
  ) {}

  /**
   * Leases due lookups in batches until none is left (or `maxBatches`). Each mailbox's lookups
   * run one after another (Graph allows 4 concurrent requests per mailbox and app, shared by
   * every instance); different mailboxes in parallel.
   */
  async sweep(maxBatches = 10): Promise<SentDetailsResult> {
    const asOf = new Date();
    const counts = Object.fromEntries(['claimed', ...OUTCOMES].map((k) => [k, 0]));
    for (let batch = 0; batch < maxBatches; batch += 1) {
      const ids = await this.pending.claimDue(asOf, BATCH, LEASE_MS);
      if (ids.length === 0) break;
      counts.claimed += ids.length;
      const rows = await this.pending.findPending(ids);
      const found = new Set(rows.map((row) => row.id));
      for (const id of ids.filter((id) => !found.has(id))) await this.pending.release(id);
      await runPool([...byMailbox(rows).values()], CONCURRENCY, async (group) => {
        for (const row of group) counts[await this.lookUp(row)] += 1;
      });
    }
    return counts as SentDetailsResult;
  }

  private async lookUp(row: PendingLookup): Promise<(typeof OUTCOMES)[number]> {
    try {
      const result = await this.search(row);
      const step = nextDetailsStep(
        { sentAt: row.sentAt, attempts: row.detailsAttempts },
        result,
        new Date(),
        this.config.outbound.sentDetails,
      );
      await this.apply(row, step);
      if (step.kind !== 'retry') return step.kind === 'store' ? 'stored' : 'gave_up';
      return result.kind === 'unavailable' ? 'unavailable' : 'retry';
    } catch (error) {
      this.logger.error({ messageId: row.id, err: error }, 'sent details lookup crashed');
      await this.pending.release(row.id).catch(() => undefined);
      return 'errors';
    }
  }

  private async search(row: PendingLookup): Promise<LookupResult> {
    if (!row.mailboxId) return { kind: 'unavailable' };
    try {
      // No retries in place: this job schedules its own.
      const copy = await this.sentItems.find(row.mailboxId, row.marker, { retries: 0 });
      if (!copy?.internetMessageId) return { kind: 'not_found' };
      return {
        kind: 'found',
        internetMessageId: copy.internetMessageId,
        conversationId: copy.conversationId ?? null,
      };
    } catch (error) {
      const failure = graphFailureOf(error);
      this.logger.warn(
        { messageId: row.id, mailboxId: row.mailboxId, status: failure.status, code: failure.code },
        'Sent Items not readable; will look again',
      );
      if (error instanceof MailboxTokenUnavailableError)
        return { kind: 'unavailable', retryAt: error.retryAt };
      if (failure.retryAfterSec !== undefined)
        return {
          kind: 'unavailable',
          retryAt: new Date(Date.now() + failure.retryAfterSec * 1000),
        };
      return { kind: 'unavailable' };
    }
  }

  private async apply(row: PendingLookup, step: DetailsStep): Promise<void> {
    if (step.kind === 'store') return this.pending.store(row.id, step);
    if (step.kind === 'retry') return this.pending.reschedule(row.id, step.at, step.attempts);
    await this.pending.giveUp(row.id, step.attempts);
    this.logger.warn(
      { messageId: row.id, attempts: step.attempts, reason: step.reason },
      'sent copy not found in Sent Items: internetMessageId and conversationId stay unknown',
    );
  }
}

function byMailbox(rows: PendingLookup[]): Map<string, PendingLookup[]> {
  const groups = new Map<string, PendingLookup[]>();
  for (const row of rows) {
    const key = row.mailboxId ?? '';
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  return groups;
}
