import { randomBytes } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../common/config/app-config.js';
import { graphFailureOf } from '../../common/microsoft/graph-error.js';
import { MailboxNeedsReauthError } from '../mailbox/mailbox.errors.js';
import { MailboxService, type MailboxRow } from '../mailbox/mailbox.service.js';
import { deliveryRetryMs, hashClientState, renewAt } from './delivery.rules.js';
import { InboundGraphClient } from './inbound-graph.client.js';
import { SubscriptionRepository, type SubscriptionRow } from './subscription.repository.js';

export type SubscriptionOutcome =
  'created' | 'renewed' | 'deleted' | 'paused' | 'failed' | 'skipped';

/**
 * Graph change-notification subscriptions of inbound mailboxes: created with a random
 * clientState (only its hash is kept) and a lifecycle URL, renewed at half their lifetime,
 * recreated when Graph lost them (then a catch-up), deleted when delivery stops.
 */
@Injectable()
export class SubscriptionService {
  private readonly logger = new Logger(SubscriptionService.name);

  constructor(
    private readonly subscriptions: SubscriptionRepository,
    private readonly mailboxes: MailboxService,
    private readonly graph: InboundGraphClient,
    private readonly config: AppConfig,
  ) {}

  /** Works on one leased row; always releases it. */
  async maintain(mailboxId: string): Promise<SubscriptionOutcome> {
    const row = await this.subscriptions.find(mailboxId);
    if (!row) return 'skipped';
    const mailbox = await this.mailboxes.findActive(mailboxId);
    try {
      if (row.state === 'stopped' || !mailbox) return await this.remove(row, mailbox);
      if (!row.graphSubscriptionId) return await this.create(mailbox);
      return await this.renew(row, mailbox);
    } catch (error) {
      return this.failed(row, error);
    }
  }

  private async create(mailbox: MailboxRow): Promise<SubscriptionOutcome> {
    const clientState = randomBytes(32).toString('base64url');
    const now = new Date();
    const expiresAt = new Date(now.getTime() + this.config.inbound.subscriptionMinutes * 60_000);
    const created = await this.graph.createSubscription(mailbox, {
      notificationUrl: `${this.config.publicUrl}/v1/webhooks/microsoft`,
      lifecycleNotificationUrl: `${this.config.publicUrl}/v1/webhooks/microsoft/lifecycle`,
      clientState,
      expiresAt,
    });
    const expires = new Date(created.expirationDateTime);
    await this.subscriptions.saveSubscription(mailbox.id, {
      graphSubscriptionId: created.id,
      clientStateHash: hashClientState(clientState),
      expiresAt: expires,
      renewAt: renewAt(now, expires),
    });
    // Mail that arrived before the subscription existed is found by delta.
    await this.subscriptions.catchUpNow(mailbox.id);
    this.logger.log({ mailboxId: mailbox.id }, 'Graph subscription created');
    return 'created';
  }

  private async renew(row: SubscriptionRow, mailbox: MailboxRow): Promise<SubscriptionOutcome> {
    const now = new Date();
    const wanted = new Date(now.getTime() + this.config.inbound.subscriptionMinutes * 60_000);
    try {
      const renewed = await this.graph.renewSubscription(
        mailbox,
        row.graphSubscriptionId as string,
        wanted,
      );
      const expires = new Date(renewed.expirationDateTime);
      await this.subscriptions.saveSubscription(mailbox.id, {
        graphSubscriptionId: row.graphSubscriptionId as string,
        clientStateHash: row.clientStateHash as string,
        expiresAt: expires,
        renewAt: renewAt(now, expires),
      });
      return 'renewed';
    } catch (error) {
      if (graphFailureOf(error).status !== 404) throw error;
      this.logger.warn({ mailboxId: mailbox.id }, 'Graph subscription gone: recreating it');
      return this.create(mailbox);
    }
  }

  /** Best effort: a subscription Graph no longer has, or cannot be reached for, just expires. */
  private async remove(
    row: SubscriptionRow,
    mailbox: MailboxRow | null,
  ): Promise<SubscriptionOutcome> {
    if (row.graphSubscriptionId && mailbox) {
      try {
        await this.graph.deleteSubscription(mailbox, row.graphSubscriptionId);
      } catch (error) {
        const failure = graphFailureOf(error);
        this.logger.warn(
          { mailboxId: row.mailboxId, status: failure.status },
          'subscription delete failed; it will expire',
        );
      }
    }
    await this.subscriptions.clearSubscription(row.mailboxId, null);
    return 'deleted';
  }

  private async failed(row: SubscriptionRow, error: unknown): Promise<SubscriptionOutcome> {
    if (error instanceof MailboxNeedsReauthError) {
      await this.subscriptions.recordError(row.mailboxId, 'mailbox_needs_reauth', {});
      await this.subscriptions.pause(row.mailboxId, 'mailbox_needs_reauth');
      return 'paused';
    }
    const failure = graphFailureOf(error);
    const reason = failure.status ? `graph_${failure.status}_${failure.code}` : describe(error);
    const retry = new Date(Date.now() + (failure.retryAfterSec ?? 0) * 1000 + deliveryRetryMs(0));
    this.logger.warn({ mailboxId: row.mailboxId, reason }, 'subscription work failed; will retry');
    await this.subscriptions.recordError(row.mailboxId, reason, { renewAt: retry });
    return 'failed';
  }
}

export function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`.slice(0, 300);
  return String(error).slice(0, 300);
}
