import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../common/config/app-config.js';
import { sweepLeased, type SweepCounts } from '../../common/jobs/sweep.js';
import { CatchUpService, type CatchUpOutcome } from './catch-up.service.js';
import { SubscriptionRepository } from './subscription.repository.js';
import { SubscriptionService, type SubscriptionOutcome } from './subscription.service.js';

const LEASE_MS = 5 * 60_000;
const BATCH = 20;

/** Subscription upkeep and delta catch-up of every due mailbox (any number of instances). */
@Injectable()
export class DeliveryJob {
  constructor(
    private readonly subscriptions: SubscriptionRepository,
    private readonly subscriptionService: SubscriptionService,
    private readonly catchUp: CatchUpService,
    private readonly config: AppConfig,
  ) {}

  async runOnce(): Promise<Record<string, number>> {
    const subs = await this.maintainSubscriptions();
    const deltas = await this.catchUpAll();
    return {
      subscriptions: subs.claimed,
      created: subs.created,
      renewed: subs.renewed,
      deleted: subs.deleted,
      catchUps: deltas.claimed,
      synced: deltas.synced,
      failed: subs.failed + deltas.failed,
    };
  }

  maintainSubscriptions(): Promise<SweepCounts<SubscriptionOutcome>> {
    return sweepLeased({
      outcomes: ['created', 'renewed', 'deleted', 'paused', 'failed', 'skipped'],
      claim: (limit) => this.subscriptions.claimDueSubscriptions(limit, LEASE_MS),
      batchSize: BATCH,
      concurrency: this.config.inbound.concurrency,
      work: (mailboxId) => this.subscriptionService.maintain(mailboxId),
      maxBatches: 10,
    });
  }

  catchUpAll(): Promise<SweepCounts<CatchUpOutcome>> {
    return sweepLeased({
      outcomes: ['synced', 'paused', 'failed', 'skipped'],
      claim: (limit) => this.subscriptions.claimDueCatchUps(limit, LEASE_MS),
      batchSize: BATCH,
      concurrency: this.config.inbound.concurrency,
      work: async (mailboxId) => (await this.catchUp.run(mailboxId)).outcome,
      maxBatches: 10,
    });
  }
}
