import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../../common/time/clock.js';
import { clientStateMatches, notifiedMessageId } from './delivery.rules.js';
import { InboundMessageRepository, type NewInboundMessage } from './inbound-message.repository.js';
import { SubscriptionRepository, type SubscriptionRow } from './subscription.repository.js';

interface NotificationItem {
  subscriptionId?: unknown;
  clientState?: unknown;
  changeType?: unknown;
  resource?: unknown;
  resourceData?: { id?: unknown };
  lifecycleEvent?: unknown;
}

const MAX_ITEMS = 1000;

/**
 * Graph change and lifecycle notifications: each item's subscription is looked up and its
 * clientState checked in constant time (a wrong one is ignored); messages are persisted as
 * pipeline work before the webhook answers.
 */
@Injectable()
export class NotificationService {
  private readonly logger = new Logger(NotificationService.name);

  constructor(
    private readonly subscriptions: SubscriptionRepository,
    private readonly messages: InboundMessageRepository,
    private readonly clock: Clock,
  ) {}

  /** Persists the notified messages; throws only when nothing could be stored. */
  async acceptChanges(body: unknown): Promise<{ accepted: number; ignored: number }> {
    const items = itemsOf(body);
    const rows: NewInboundMessage[] = [];
    let ignored = 0;
    const verified = await this.verify(items);
    for (const item of items) {
      const sub = verified.get(item);
      const graphMessageId = notifiedMessageId(item);
      if (!sub || sub.state !== 'active' || item.changeType !== 'created' || !graphMessageId) {
        ignored += 1;
        continue;
      }
      rows.push({
        id: randomUUID(),
        workspaceId: sub.workspaceId,
        mailboxId: sub.mailboxId,
        graphMessageId,
        source: 'notification',
      });
    }
    await this.messages.insertNew(rows, this.clock.now());
    if (ignored > 0)
      this.logger.warn(
        { ignored },
        'notifications ignored (unknown subscription, clientState or type)',
      );
    return { accepted: rows.length, ignored };
  }

  /** reauthorizationRequired → renew now; subscriptionRemoved → recreate, then catch up; missed → catch up. */
  async acceptLifecycle(body: unknown): Promise<{ accepted: number; ignored: number }> {
    const items = itemsOf(body);
    const verified = await this.verify(items);
    let accepted = 0;
    for (const item of items) {
      const sub = verified.get(item);
      if (!sub) continue;
      accepted += 1;
      await this.onLifecycle(sub, String(item.lifecycleEvent));
    }
    return { accepted, ignored: items.length - accepted };
  }

  private async onLifecycle(sub: SubscriptionRow, event: string): Promise<void> {
    this.logger.log({ mailboxId: sub.mailboxId, event }, 'lifecycle notification');
    if (event === 'reauthorizationRequired') await this.subscriptions.renewNow(sub.mailboxId);
    if (event === 'subscriptionRemoved') {
      await this.subscriptions.clearSubscription(sub.mailboxId, new Date());
      await this.subscriptions.catchUpNow(sub.mailboxId);
    }
    if (event === 'missed') await this.subscriptions.catchUpNow(sub.mailboxId);
  }

  /** Items whose subscription is ours and whose clientState matches it. */
  private async verify(items: NotificationItem[]): Promise<Map<NotificationItem, SubscriptionRow>> {
    const ids = [
      ...new Set(
        items.map((i) => i.subscriptionId).filter((id): id is string => typeof id === 'string'),
      ),
    ];
    const subs = new Map<string, SubscriptionRow | null>();
    for (const id of ids.slice(0, 50)) subs.set(id, await this.subscriptions.findByGraphId(id));
    const verified = new Map<NotificationItem, SubscriptionRow>();
    for (const item of items) {
      const sub = typeof item.subscriptionId === 'string' ? subs.get(item.subscriptionId) : null;
      if (sub && clientStateMatches(item.clientState, sub.clientStateHash)) verified.set(item, sub);
    }
    return verified;
  }
}

function itemsOf(body: unknown): NotificationItem[] {
  const value = (body as { value?: unknown } | null)?.value;
  if (!Array.isArray(value)) return [];
  return value
    .slice(0, MAX_ITEMS)
    .filter((v): v is NotificationItem => typeof v === 'object' && v !== null && !Array.isArray(v));
}
