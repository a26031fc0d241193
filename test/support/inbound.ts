import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { createApp } from '../../src/app.factory.js';
import { AppConfig } from '../../src/common/config/app-config.js';
import { OutboxRelay } from '../../src/common/events/outbox-relay.js';
import type { Clock } from '../../src/common/time/clock.js';
import { DeliveryJob } from '../../src/modules/inbound/delivery.job.js';
import { PipelineService } from '../../src/modules/inbound/pipeline.service.js';
import { freePort } from '../sandbox/support/ports.js';
import { call, type SandboxApp } from './sandbox-app.js';

export interface InboundItem {
  id: string;
  mailboxId: string;
  graphMessageId: string;
  subject: string | null;
  from: string | null;
  category: string | null;
  intent: string | null;
  confidence: number | null;
  summary: string | null;
  provider: string | null;
  action: string | null;
  reason: string | null;
  status: string;
  replyMessageId: string | null;
  replyInternetMessageId: string | null;
}

export async function setInbound(
  t: SandboxApp,
  token: string,
  mailboxId: string,
  body: Record<string, unknown>,
): Promise<void> {
  const res = await call(t, 'PATCH', `/v1/mailboxes/${mailboxId}/inbound`, { token, body });
  if (res.status !== 200) throw new Error(`inbound settings: ${res.status} ${res.body}`);
}

/** Makes every active mailbox's delta catch-up due now. */
export async function catchUpDue(t: SandboxApp): Promise<void> {
  await t.db.prisma.inboundSubscription.updateMany({ data: { catchUpAt: new Date(0) } });
}

/** Delivery upkeep, the event relay and the pipeline, until nothing is left to do. */
export async function runInbound(
  t: SandboxApp,
  options: { catchUp?: boolean } = {},
): Promise<void> {
  if (options.catchUp ?? true) await catchUpDue(t);
  for (let round = 0; round < 30; round += 1) {
    const events = await relayAll(t);
    const delivery = await t.app.get(DeliveryJob).runOnce();
    const pipeline = await t.app.get(PipelineService).runOnce();
    const after = await relayAll(t);
    const work = events + after + pipeline.claimed + delivery.subscriptions + delivery.catchUps;
    if (work === 0) return;
  }
}

async function relayAll(t: SandboxApp): Promise<number> {
  let total = 0;
  for (;;) {
    const { claimed } = await t.app.get(OutboxRelay).relayOnce();
    if (claimed === 0) return total;
    total += claimed;
  }
}

export async function inboundItems(
  t: SandboxApp,
  token: string,
  mailboxId?: string,
): Promise<InboundItem[]> {
  const query = mailboxId ? `?mailboxId=${mailboxId}&limit=100` : '?limit=100';
  const res = await call(t, 'GET', `/v1/inbound/messages${query}`, { token });
  if (res.status !== 200) throw new Error(`inbound list: ${res.status} ${res.body}`);
  return res.json<{ items: InboundItem[] }>().items;
}

/**
 * The mailbox side of AI-reply tests, on the emulator of `t()` (a getter, as `t` is set in
 * beforeAll): a question to ask, and what was sent and drafted since.
 */
export function aiReplyMail(t: () => SandboxApp) {
  const graph = () => t().emulator.control.graph;
  return {
    /** A support question in a new thread: no escalation topic, so the AI answers it. */
    ask: (mailbox: string, who: string) =>
      graph().injectInbound({
        mailbox,
        from: { address: `${who}@customer.example`, name: who },
        subject: `Login problem ${randomUUID().slice(0, 8)}`,
        body: 'Hello, I cannot log in since this morning: the page shows an error. Can you help?',
      }),
    sends: (mailbox: string, since: Date) =>
      graph()
        .sentMail({ mailbox, since })
        .filter((s) => s.operation === 'send'),
    drafts: (mailbox: string, conversationId: string) =>
      graph()
        .messages(mailbox, 'drafts')
        .filter((m) => m.conversationId === conversationId),
  };
}

/** A second instance of `t`'s service (its configuration: same database and emulator) on a free port. */
export async function listenSecondInstance(
  t: SandboxApp,
  options: { clock?: Clock } = {},
): Promise<{ app: INestApplication; baseUrl: string }> {
  const app = await createApp(t.app.get(AppConfig), options);
  const port = await freePort();
  await app.listen(port, '127.0.0.1');
  return { app, baseUrl: `http://127.0.0.1:${port}` };
}
