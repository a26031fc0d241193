import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { request } from 'undici';
import { ADELE } from '../../src/sandbox/seed.js';
import { buildOutboxEvents } from '../factories/outbox-event.js';
import { inboundFixture } from '../support/inbound-fixtures.js';
import { runInbound, setInbound } from '../support/inbound.js';
import { call, createSandboxApp, type SandboxApp, sandboxToken } from '../support/sandbox-app.js';
import { connectMailbox, type Ids } from '../support/sending.js';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

describe('inbound change notifications, webhooks and subscription lifecycle (e2e)', () => {
  let t: SandboxApp;
  let token: string;
  let adele: Ids;

  beforeAll(async () => {
    t = await createSandboxApp({ INBOUND_DELIVERY: 'notifications' });
    token = await sandboxToken(t, 'user-a', 'ws-notify');
    adele = await connectMailbox(t, token, ADELE.id);
    await setInbound(t, token, adele.mailboxId, {
      enabled: true,
      purpose: 'new_business',
      behavior: 'full_auto',
      // The send path under test: replies go out at once (review and delayed modes:
      // inbound-reply-modes).
      // No escalation topics, or price questions in the fixtures would be escalated
      // (escalation: inbound-escalation).
      replyMode: 'send',
      escalationTopics: [],
    });
    await runInbound(t);
  });
  afterAll(() => t.close());
  beforeEach(() => runInbound(t));

  const subscription = () =>
    t.db.prisma.inboundSubscription.findUniqueOrThrow({ where: { mailboxId: adele.mailboxId } });
  const graphSubscriptions = () =>
    t.emulator.control.graph.subscriptions().filter((s) => s.target.mailboxUserId === ADELE.id);
  const rowsFor = (graphMessageId: string) =>
    t.db.prisma.inboundMessage.findMany({ where: { graphMessageId } });
  const post = (path: string, body: unknown) =>
    request(`${t.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const replies = (since: Date) =>
    t.emulator.control.graph
      .sentMail({ mailbox: ADELE.mail, since })
      .filter((s) => s.operation === 'send');

  async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 3000): Promise<T> {
    const end = Date.now() + ms;
    for (;;) {
      const value = await read();
      if (ok(value) || Date.now() > end) return value;
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  it('enabling creates one Graph subscription (inbox, created, lifecycle URL) whose clientState is stored only hashed', async () => {
    const [sub] = graphSubscriptions();
    expect(graphSubscriptions()).toHaveLength(1);
    expect(sub).toMatchObject({
      changeType: 'created',
      notificationUrl: `${t.baseUrl}/v1/webhooks/microsoft`,
      lifecycleNotificationUrl: `${t.baseUrl}/v1/webhooks/microsoft/lifecycle`,
    });
    expect(sub.resource).toMatch(/mailFolders\('inbox'\)\/messages$/);
    const row = await subscription();
    expect(row.graphSubscriptionId).toBe(sub.id);
    expect(row.clientStateHash).toBe(sha256(sub.clientState as string));
    expect(JSON.stringify(row)).not.toContain(sub.clientState as string);
    expect(row.renewAt!.getTime()).toBeLessThan(row.expiresAt!.getTime());
  });

  it('the handshake is answered in < 1 s with the exact token as text/plain', async () => {
    const tokenText =
      'Validation: Testing client application reachability for subscription Request-Id: 1f2e-äö &x=1';
    const started = Date.now();
    const res = await request(
      `${t.baseUrl}/v1/webhooks/microsoft?validationToken=${encodeURIComponent(tokenText)}`,
      {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: '',
      },
    );
    const text = await res.body.text();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(res.statusCode).toBe(200);
    expect(String(res.headers['content-type'])).toMatch(/^text\/plain/);
    expect(text).toBe(tokenText);
    const lifecycle = await request(
      `${t.baseUrl}/v1/webhooks/microsoft/lifecycle?validationToken=abc`,
      { method: 'POST' },
    );
    expect(await lifecycle.body.text()).toBe('abc');
  });

  it('a notified message is persisted, answered 202, processed once; the same notification ×3 → one message, one reply', async () => {
    const since = new Date();
    const message = t.emulator.control.graph.injectRaw(
      ADELE.mail,
      inboundFixture('human', 'lead.eml', ADELE.mail),
    );
    const rows = await until(
      () => rowsFor(message.id),
      (r) => r.length > 0,
    );
    expect(rows).toMatchObject([{ source: 'notification', stage: 'pending' }]);
    const delivery = t.emulator.control.graph
      .notifications({ kind: 'change' })
      .find((d) => JSON.stringify(d.payload).includes(message.id));
    expect(delivery?.attempts[0].status).toBe(202);
    for (let i = 0; i < 2; i += 1) {
      const again = await post('/v1/webhooks/microsoft', delivery?.payload);
      expect(again.statusCode).toBe(202);
      await again.body.dump();
    }
    await runInbound(t);
    await runInbound(t);
    expect(await rowsFor(message.id)).toHaveLength(1);
    expect(replies(since)).toHaveLength(1);
  });

  it('a message whose notification was dropped is found by the delta catch-up; missed → catch-up at once', async () => {
    const since = new Date();
    t.emulator.control.graph.dropNextNotifications(1);
    const message = t.emulator.control.graph.injectRaw(
      ADELE.mail,
      inboundFixture('human', 'support-question.eml', ADELE.mail),
    );
    await new Promise((r) => setTimeout(r, 100));
    expect(await rowsFor(message.id)).toHaveLength(0);
    await t.db.prisma.inboundSubscription.update({
      where: { mailboxId: adele.mailboxId },
      data: { catchUpAt: new Date(Date.now() + 3600_000) },
    });
    await t.emulator.control.graph.sendLifecycleEvent(graphSubscriptions()[0].id, 'missed');
    expect((await subscription()).catchUpAt.getTime()).toBeLessThanOrEqual(Date.now());
    await runInbound(t, { catchUp: false });
    expect(await rowsFor(message.id)).toMatchObject([
      { source: 'delta', stage: 'done', action: 'replied' },
    ]);
    expect(replies(since)).toHaveLength(1);
  });

  it('a wrong clientState is ignored: 202, nothing stored or processed', async () => {
    const message = t.emulator.control.graph.injectInbound({
      mailbox: ADELE.mail,
      from: 'x@y.example',
      subject: 'forged',
      folder: 'drafts',
    });
    const [sub] = graphSubscriptions();
    const forged = {
      value: [
        {
          subscriptionId: sub.id,
          clientState: 'guessed-state',
          changeType: 'created',
          resource: `Users/${ADELE.id}/Messages/${message.id}`,
          resourceData: { id: message.id },
        },
        {
          subscriptionId: 'unknown-sub',
          clientState: sub.clientState,
          changeType: 'created',
          resourceData: { id: message.id },
        },
        { subscriptionId: sub.id, changeType: 'created', resourceData: { id: message.id } },
      ],
    };
    const res = await post('/v1/webhooks/microsoft', forged);
    expect(res.statusCode).toBe(202);
    await res.body.dump();
    expect(await rowsFor(message.id)).toHaveLength(0);
    const lifecycle = await post('/v1/webhooks/microsoft/lifecycle', {
      value: [
        {
          subscriptionId: sub.id,
          clientState: 'guessed-state',
          lifecycleEvent: 'subscriptionRemoved',
        },
      ],
    });
    expect(lifecycle.statusCode).toBe(202);
    expect((await subscription()).graphSubscriptionId).toBe(sub.id);
  });

  it('5xx only when nothing could be persisted (Graph retries)', async () => {
    const [sub] = graphSubscriptions();
    await t.db.prisma.$executeRawUnsafe(
      'ALTER TABLE inbound_message RENAME TO inbound_message_away',
    );
    try {
      const res = await post('/v1/webhooks/microsoft', {
        value: [
          {
            subscriptionId: sub.id,
            clientState: sub.clientState,
            changeType: 'created',
            resourceData: { id: 'AAMk-x' },
          },
        ],
      });
      expect(res.statusCode).toBe(503);
      await res.body.dump();
    } finally {
      await t.db.prisma.$executeRawUnsafe(
        'ALTER TABLE inbound_message_away RENAME TO inbound_message',
      );
    }
  });

  it('renewal before expiry; reauthorizationRequired renews; subscriptionRemoved recreates, then catches up', async () => {
    const before = await subscription();
    await t.db.prisma.inboundSubscription.update({
      where: { mailboxId: adele.mailboxId },
      data: { renewAt: new Date(0), expiresAt: new Date(Date.now() + 60_000) },
    });
    await runInbound(t, { catchUp: false });
    const renewed = await subscription();
    expect(renewed.graphSubscriptionId).toBe(before.graphSubscriptionId);
    expect(renewed.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 3600_000);
    expect(renewed.renewAt!.getTime()).toBeGreaterThan(Date.now());

    await t.emulator.control.graph.sendLifecycleEvent(
      before.graphSubscriptionId!,
      'reauthorizationRequired',
    );
    expect((await subscription()).renewAt!.getTime()).toBeLessThanOrEqual(Date.now());
    await runInbound(t, { catchUp: false });
    expect((await subscription()).graphSubscriptionId).toBe(before.graphSubscriptionId);

    const since = new Date();
    await t.emulator.control.graph.removeSubscription(before.graphSubscriptionId!);
    const missed = t.emulator.control.graph.injectRaw(
      ADELE.mail,
      inboundFixture('human', 'lead.eml', ADELE.mail),
    );
    await runInbound(t, { catchUp: false });
    const recreated = await subscription();
    expect(recreated.graphSubscriptionId).not.toBe(before.graphSubscriptionId);
    expect(graphSubscriptions().map((s) => s.id)).toEqual([recreated.graphSubscriptionId]);
    expect(await rowsFor(missed.id)).toMatchObject([{ action: 'replied' }]);
    expect(replies(since)).toHaveLength(1);
  });

  it('mailbox.reauth-required pauses delivery, reconnecting resumes it; disabling deletes the subscription', async () => {
    await buildOutboxEvents(t.db.prisma, 'mailbox.reauth-required', 1, () => ({
      mailboxId: adele.mailboxId,
      workspaceId: 'ws-notify',
      reason: 'invalid_grant',
    }));
    await runInbound(t, { catchUp: false });
    expect((await subscription()).state).toBe('paused');
    await buildOutboxEvents(t.db.prisma, 'mailbox.connected', 1, () => ({
      mailboxId: adele.mailboxId,
      workspaceId: 'ws-notify',
      connectionType: 'delegated',
      reconnected: true,
    }));
    await runInbound(t, { catchUp: false });
    expect((await subscription()).state).toBe('active');

    await setInbound(t, token, adele.mailboxId, { enabled: false });
    await runInbound(t, { catchUp: false });
    expect(await subscription()).toMatchObject({ state: 'stopped', graphSubscriptionId: null });
    expect(graphSubscriptions()).toHaveLength(0);
    await setInbound(t, token, adele.mailboxId, { enabled: true });
    await runInbound(t, { catchUp: false });
    expect(graphSubscriptions()).toHaveLength(1);
  });

  it('disconnecting stops delivery; notifications of the old subscription are ignored from then on', async () => {
    const [sub] = graphSubscriptions();
    const res = await call(t, 'DELETE', `/v1/mailboxes/${adele.mailboxId}`, { token });
    expect(res.status).toBe(204);
    await runInbound(t, { catchUp: false });
    expect(await subscription()).toMatchObject({ state: 'stopped', graphSubscriptionId: null });
    const late = await post('/v1/webhooks/microsoft', {
      value: [
        {
          subscriptionId: sub.id,
          clientState: sub.clientState,
          changeType: 'created',
          resourceData: { id: 'AAMk-late' },
        },
      ],
    });
    expect(late.statusCode).toBe(202);
    expect(await rowsFor('AAMk-late')).toHaveLength(0);
  });
});
