import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../../common/time/clock.js';
import { AppConfig } from '../../common/config/app-config.js';
import { graphFailureOf } from '../../common/microsoft/graph-error.js';
import { MailboxNeedsReauthError } from '../mailbox/mailbox.errors.js';
import { MailboxService, type MailboxRow } from '../mailbox/mailbox.service.js';
import { deliveryRetryMs, newSince } from './delivery.rules.js';
import { InboundGraphClient } from './inbound-graph.client.js';
import { InboundMessageRepository } from './inbound-message.repository.js';
import { SubscriptionRepository, type SubscriptionRow } from './subscription.repository.js';
import { describe } from './subscription.service.js';

export type CatchUpOutcome = 'synced' | 'paused' | 'failed' | 'skipped';

const MAX_PAGES = 100;

/**
 * Delta queries on a mailbox's inbox (immutable ids): the only delivery in polling mode, and the
 * catch-up after missed notifications in every mode. New messages received since inbound was
 * enabled become pipeline work; the unique (mailbox, Graph id) makes repeats harmless.
 */
@Injectable()
export class CatchUpService {
  private readonly logger = new Logger(CatchUpService.name);

  constructor(
    private readonly subscriptions: SubscriptionRepository,
    private readonly messages: InboundMessageRepository,
    private readonly mailboxes: MailboxService,
    private readonly graph: InboundGraphClient,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** Works on one leased row; always releases it. Returns the outcome and messages found. */
  async run(mailboxId: string): Promise<{ outcome: CatchUpOutcome; found: number }> {
    const row = await this.subscriptions.find(mailboxId);
    const mailbox = await this.mailboxes.findActive(mailboxId);
    if (!row || row.state !== 'active' || !mailbox) {
      if (row) await this.subscriptions.recordError(mailboxId, 'not_delivering', {});
      return { outcome: 'skipped', found: 0 };
    }
    try {
      const { found, deltaLink } = await this.sync(row, mailbox);
      await this.subscriptions.saveDelta(mailboxId, deltaLink, this.nextRun(row));
      if (found > 0) this.logger.log({ mailboxId, found }, 'delta found new messages');
      return { outcome: 'synced', found };
    } catch (error) {
      return { outcome: await this.failed(row, error), found: 0 };
    }
  }

  private async sync(row: SubscriptionRow, mailbox: MailboxRow) {
    let link = row.deltaLink;
    let found = 0;
    for (let page = 0; page < MAX_PAGES; page += 1) {
      let result;
      try {
        result = await this.graph.deltaPage(mailbox, link);
      } catch (error) {
        // An expired delta token means a full resync; `since` keeps old mail out.
        if (graphFailureOf(error).status !== 410 || link === null) throw error;
        link = null;
        continue;
      }
      found += await this.record(mailbox, newSince(result.items, row.since));
      if (result.deltaLink) return { found, deltaLink: result.deltaLink };
      link = result.nextLink ?? null;
      if (!link) break;
    }
    return { found, deltaLink: link };
  }

  private record(mailbox: MailboxRow, items: { id: string }[]): Promise<number> {
    return this.messages.insertNew(
      items.map((item) => ({
        id: randomUUID(),
        workspaceId: mailbox.workspaceId,
        mailboxId: mailbox.id,
        graphMessageId: item.id,
        source: 'delta' as const,
      })),
      this.clock.now(),
    );
  }

  /** Polling cadence without a working subscription, the catch-up cadence with one. */
  private nextRun(row: SubscriptionRow): Date {
    const notifying = row.mode === 'notifications' && row.graphSubscriptionId !== null;
    const ms = notifying
      ? this.config.inbound.catchUpIntervalMs
      : this.config.inbound.pollIntervalMs;
    return new Date(Date.now() + ms);
  }

  private async failed(row: SubscriptionRow, error: unknown): Promise<CatchUpOutcome> {
    if (error instanceof MailboxNeedsReauthError) {
      await this.subscriptions.recordError(row.mailboxId, 'mailbox_needs_reauth', {});
      await this.subscriptions.pause(row.mailboxId, 'mailbox_needs_reauth');
      return 'paused';
    }
    const failure = graphFailureOf(error);
    const reason = failure.status ? `graph_${failure.status}_${failure.code}` : describe(error);
    const wait = Math.max((failure.retryAfterSec ?? 0) * 1000, deliveryRetryMs(0));
    this.logger.warn({ mailboxId: row.mailboxId, reason }, 'delta query failed; will retry');
    await this.subscriptions.recordError(row.mailboxId, reason, {
      catchUpAt: new Date(Date.now() + wait),
    });
    return 'failed';
  }
}
