import type { DeliveryFilter, NotificationDelivery, Subscription } from '../mail-model.js';

/** Deliveries kept; older ones are dropped so long benchmarks do not grow memory. */
const MAX_DELIVERIES = 10_000;

/**
 * Graph change-notification subscriptions, the record of every notification delivery, and the
 * "drop the next N notifications" switch. Sending is the Graph module's job.
 */
export class SubscriptionStore {
  private readonly subscriptions = new Map<string, Subscription>();
  private deliveryLog: NotificationDelivery[] = [];
  private dropBudget = 0;
  private readonly drops = new Map<string, number>();

  add(subscription: Subscription): Subscription {
    this.subscriptions.set(subscription.id, subscription);
    return subscription;
  }

  get(id: string): Subscription | undefined {
    return this.subscriptions.get(id);
  }

  list(filter: { applicationId?: string; tenantId?: string } = {}): Subscription[] {
    return [...this.subscriptions.values()].filter(
      (s) =>
        (!filter.applicationId || s.applicationId === filter.applicationId) &&
        (!filter.tenantId || s.tenantId === filter.tenantId),
    );
  }

  /** Subscriptions watching a mailbox (any folder, or the whole mailbox). */
  forMailbox(userId: string): Subscription[] {
    return [...this.subscriptions.values()].filter((s) => s.target.mailboxUserId === userId);
  }

  update(id: string, changes: Partial<Omit<Subscription, 'id'>>): Subscription | undefined {
    const current = this.subscriptions.get(id);
    if (!current) return undefined;
    const updated = { ...current, ...changes };
    this.subscriptions.set(id, updated);
    return updated;
  }

  remove(id: string): boolean {
    return this.subscriptions.delete(id);
  }

  recordDelivery(delivery: NotificationDelivery): NotificationDelivery {
    this.deliveryLog.push(delivery);
    if (this.deliveryLog.length > MAX_DELIVERIES * 2) {
      this.deliveryLog = this.deliveryLog.slice(-MAX_DELIVERIES);
    }
    return delivery;
  }

  deliveries(filter: DeliveryFilter = {}): NotificationDelivery[] {
    return this.deliveryLog.filter(
      (d) =>
        (!filter.subscriptionId || d.subscriptionId === filter.subscriptionId) &&
        (!filter.kind || d.kind === filter.kind) &&
        (!filter.state || d.state === filter.state),
    );
  }

  /**
   * The next `count` change notifications are dropped instead of delivered: those of one
   * subscription, or of any when no id is given.
   */
  dropNext(count: number, subscriptionId?: string): void {
    const n = Math.max(0, Math.floor(count));
    if (subscriptionId) this.drops.set(subscriptionId, n);
    else this.dropBudget = n;
  }

  /** Consumes one pending drop for this subscription; true = drop this notification. */
  takeDrop(subscriptionId: string): boolean {
    const own = this.drops.get(subscriptionId) ?? 0;
    if (own > 0) {
      this.drops.set(subscriptionId, own - 1);
      return true;
    }
    if (this.dropBudget <= 0) return false;
    this.dropBudget--;
    return true;
  }

  clear(): void {
    this.subscriptions.clear();
    this.deliveryLog = [];
    this.dropBudget = 0;
    this.drops.clear();
  }
}
