import { Agent, request } from 'undici';
import type { EmulatorContext } from '../context.js';
import { newGuid } from '../ids.js';
import type { MailMessage, NotificationDelivery, Subscription } from '../mail-model.js';
import type { MailChange } from '../store/mail.js';
import type { NotificationSettings } from './settings.js';

export type LifecycleEvent = 'reauthorizationRequired' | 'subscriptionRemoved' | 'missed';

type Change = Extract<MailChange, { userId: string }>;

/**
 * Delivers change and lifecycle notifications over real HTTP, like Graph: POST JSON, 2xx within
 * the timeout counts as delivered; anything else is retried after the configured delays, then
 * the notification is dropped. Every attempt is recorded in the subscription store.
 */
export class Notifier {
  private readonly agent = new Agent({ keepAliveTimeout: 4_000 });
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly ctx: EmulatorContext,
    private readonly settings: () => NotificationSettings,
  ) {}

  /** Sends a change notification to every live subscription the change matches. */
  onMailChange(change: Change): void {
    for (const sub of this.ctx.store.subscriptions.forMailbox(change.userId)) {
      if (!this.matches(sub, change)) continue;
      void this.notifyChange(sub, change.message, change.type);
    }
  }

  /** Sends one change notification (first attempt awaited, retries in the background). */
  async notifyChange(
    sub: Subscription,
    message: MailMessage,
    changeType: string,
  ): Promise<NotificationDelivery> {
    const delivery = this.record(
      sub,
      'change',
      changeType,
      sub.notificationUrl,
      changePayload(sub, message, changeType),
    );
    if (this.ctx.store.subscriptions.takeDrop(sub.id)) {
      delivery.state = 'dropped';
      delivery.completedAt = this.now();
      return delivery;
    }
    await this.attempt(delivery);
    return delivery;
  }

  /** Sends a lifecycle notification to the subscription's lifecycleNotificationUrl. */
  async notifyLifecycle(
    sub: Subscription,
    event: LifecycleEvent,
  ): Promise<NotificationDelivery | null> {
    if (!sub.lifecycleNotificationUrl) return null;
    const delivery = this.record(
      sub,
      'lifecycle',
      event,
      sub.lifecycleNotificationUrl,
      lifecyclePayload(sub, event),
    );
    await this.attempt(delivery);
    return delivery;
  }

  cancelPending(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  async close(): Promise<void> {
    this.cancelPending();
    await this.agent.close();
  }

  private matches(sub: Subscription, change: Change): boolean {
    if (new Date(sub.expirationDateTime).getTime() <= this.ctx.store.clock.nowMs()) return false;
    if (
      !sub.changeType
        .split(',')
        .map((t) => t.trim())
        .includes(change.type)
    )
      return false;
    return sub.target.folderId === null || sub.target.folderId === change.message.parentFolderId;
  }

  private record(
    sub: Subscription,
    kind: 'change' | 'lifecycle',
    what: string,
    url: string,
    payload: unknown,
  ): NotificationDelivery {
    return this.ctx.store.subscriptions.recordDelivery({
      id: newGuid(),
      subscriptionId: sub.id,
      kind,
      changeType: kind === 'change' ? what : null,
      lifecycleEvent: kind === 'lifecycle' ? what : null,
      url,
      payload,
      state: 'pending',
      attempts: [],
      createdAt: this.now(),
      completedAt: null,
    });
  }

  private async attempt(delivery: NotificationDelivery): Promise<void> {
    const started = Date.now();
    const outcome = await this.post(delivery.url, delivery.payload);
    delivery.attempts.push({
      at: new Date(started).toISOString(),
      ...outcome,
      durationMs: Date.now() - started,
    });
    if (outcome.status !== null && outcome.status >= 200 && outcome.status < 300) {
      this.finish(delivery, 'delivered');
      return;
    }
    const delays = this.settings().retryDelaysMs;
    const retry = delivery.attempts.length - 1;
    if (retry >= delays.length) return this.finish(delivery, 'failed');
    this.schedule(delays[retry], () => this.retry(delivery));
  }

  private retry(delivery: NotificationDelivery): void {
    const live =
      delivery.kind === 'lifecycle' || this.ctx.store.subscriptions.get(delivery.subscriptionId);
    if (!live) return this.finish(delivery, 'failed');
    void this.attempt(delivery);
  }

  private async post(
    url: string,
    payload: unknown,
  ): Promise<{ status: number | null; error: string | null }> {
    try {
      const res = await request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify(payload),
        dispatcher: this.agent,
        signal: AbortSignal.timeout(this.settings().deliveryTimeoutMs),
      });
      await res.body.dump();
      return { status: res.statusCode, error: null };
    } catch (err) {
      return { status: null, error: describe(err) };
    }
  }

  private schedule(ms: number, task: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      task();
    }, ms);
    timer.unref();
    this.timers.add(timer);
  }

  private finish(delivery: NotificationDelivery, state: 'delivered' | 'failed'): void {
    delivery.state = state;
    delivery.completedAt = this.now();
  }

  private now(): string {
    return this.ctx.store.clock.now().toISOString();
  }
}

function changePayload(sub: Subscription, message: MailMessage, changeType: string) {
  const resource = `Users/${sub.target.mailboxUserId}/Messages/${message.id}`;
  return {
    value: [
      {
        subscriptionId: sub.id,
        subscriptionExpirationDateTime: sub.expirationDateTime,
        changeType,
        resource,
        resourceData: {
          '@odata.type': '#Microsoft.Graph.Message',
          '@odata.id': resource,
          '@odata.etag': `W/"${message.changeKey}"`,
          id: message.id,
        },
        ...(sub.clientState === null ? {} : { clientState: sub.clientState }),
        tenantId: sub.tenantId,
      },
    ],
  };
}

function lifecyclePayload(sub: Subscription, event: LifecycleEvent) {
  return {
    value: [
      {
        subscriptionId: sub.id,
        subscriptionExpirationDateTime: sub.expirationDateTime,
        tenantId: sub.tenantId,
        ...(sub.clientState === null ? {} : { clientState: sub.clientState }),
        lifecycleEvent: event,
      },
    ],
  };
}

/** `timeout`, a network error code (`ECONNREFUSED`…) or the message. Errors may come from another realm. */
function describe(err: unknown): string {
  const e = (err ?? {}) as {
    name?: unknown;
    code?: unknown;
    message?: unknown;
    cause?: { code?: unknown };
  };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return 'timeout';
  const code = e.code ?? e.cause?.code;
  if (typeof code === 'string') return code;
  return typeof e.message === 'string' ? e.message : String(err);
}
