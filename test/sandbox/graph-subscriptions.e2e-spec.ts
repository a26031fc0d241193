import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { ADELE, CONTOSO_TENANT_ID, MEGAN } from '../../src/sandbox/seed.js';
import {
  appToken,
  graphCaller,
  MAIL_SCOPES,
  Receiver,
  startGraphWorld,
  userToken,
  waitFor,
  type GraphCaller,
  type GraphWorld,
} from './support/graph-world.js';

const inMinutes = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();

describe('Graph emulator: subscriptions, validation handshake, notifications', () => {
  let world: GraphWorld;
  let megan: GraphCaller;
  let receiver: Receiver;
  let lifecycle: Receiver;

  beforeAll(async () => {
    world = await startGraphWorld();
    megan = graphCaller(world.http, await userToken(world, MEGAN.id, MAIL_SCOPES));
  });

  afterAll(async () => {
    await world.close();
  });

  beforeEach(async () => {
    receiver = await Receiver.start('/webhooks/microsoft');
    lifecycle = await Receiver.start('/webhooks/microsoft/lifecycle');
    world.emulator.control.graph.configure({
      notifications: {
        validationTimeoutMs: 10_000,
        retryDelaysMs: [50, 100],
        deliveryTimeoutMs: 3_000,
      },
    });
  });

  afterEach(async () => {
    for (const sub of world.emulator.control.graph.subscriptions())
      world.emulator.store.subscriptions.remove(sub.id);
    await Promise.all([receiver.close(), lifecycle.close()]);
  });

  const subscribe = (caller: GraphCaller, extra: Record<string, unknown> = {}) =>
    caller.post('/v1.0/subscriptions', {
      changeType: 'created',
      notificationUrl: receiver.url,
      lifecycleNotificationUrl: lifecycle.url,
      resource: "me/mailFolders('inbox')/messages",
      expirationDateTime: inMinutes(60),
      clientState: 'secret-client-state',
      ...extra,
    });

  const inject = (subject: string) =>
    world.emulator.control.graph.injectInbound({
      mailbox: MEGAN.id,
      from: 'lead@prospect.example',
      subject,
    });

  it('runs the validation handshake on both URLs, then delivers notifications with clientState', async () => {
    const res = await subscribe(megan);
    expect(res.status).toBe(201);
    const sub = res.json<{
      id: string;
      resource: string;
      clientState: string;
      expirationDateTime: string;
      applicationId: string;
    }>();
    expect(sub).toMatchObject({
      resource: "me/mailFolders('inbox')/messages",
      clientState: 'secret-client-state',
    });
    for (const r of [receiver, lifecycle]) {
      const [handshake] = r.handshakes();
      expect(handshake.method).toBe('POST');
      expect(handshake.headers['content-type']).toMatch(/^text\/plain/);
      expect(handshake.url.searchParams.get('validationToken')).toMatch(/^Validation: /);
    }
    const message = inject('Hello there');
    const [notification] = await waitFor(() => receiver.notifications()[0]?.value);
    expect(notification).toEqual({
      subscriptionId: sub.id,
      subscriptionExpirationDateTime: sub.expirationDateTime,
      changeType: 'created',
      resource: `Users/${MEGAN.id}/Messages/${message.id}`,
      resourceData: {
        '@odata.type': '#Microsoft.Graph.Message',
        '@odata.id': `Users/${MEGAN.id}/Messages/${message.id}`,
        '@odata.etag': `W/"${message.changeKey}"`,
        id: message.id,
      },
      clientState: 'secret-client-state',
      tenantId: CONTOSO_TENANT_ID,
    });
    // The receiver has the request before the emulator has its answer: wait for the record.
    const [delivery] = await waitFor(() => {
      const found = world.emulator.control.graph.notifications({ subscriptionId: sub.id });
      return found[0]?.state === 'pending' ? undefined : found;
    });
    expect(delivery).toMatchObject({
      kind: 'change',
      state: 'delivered',
      attempts: [{ status: 202, error: null }],
    });
  });

  it('notifies for mail delivered by sendMail, and not for other folders', async () => {
    const sub = (await subscribe(megan)).json<{ id: string }>();
    const adele = graphCaller(world.http, await userToken(world, ADELE.id, MAIL_SCOPES));
    await adele.post('/v1.0/me/sendMail', {
      message: {
        subject: 'via sendMail',
        toRecipients: [{ emailAddress: { address: MEGAN.mail } }],
      },
    });
    await waitFor(() => receiver.notifications().length === 1);
    await megan.post('/v1.0/me/sendMail', {
      message: {
        subject: 'outbound',
        toRecipients: [{ emailAddress: { address: 'x@outside.example' } }],
      },
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(receiver.notifications()).toHaveLength(1);
    expect(world.emulator.control.graph.notifications({ subscriptionId: sub.id })).toHaveLength(1);
  });

  it('fails creation when the receiver answers the wrong token', async () => {
    receiver.behaviour = (_r, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('not the token');
    };
    const res = await subscribe(megan);
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({
      error: {
        code: 'InvalidRequest',
        message: expect.stringContaining('Subscription validation request failed'),
      },
    });
    expect(
      world.emulator.control.graph
        .subscriptions()
        .filter((s) => s.notificationUrl === receiver.url),
    ).toEqual([]);
  });

  it('fails creation when the receiver does not answer in time', async () => {
    world.emulator.control.graph.configure({ notifications: { validationTimeoutMs: 150 } });
    receiver.behaviour = () => undefined;
    const res = await subscribe(megan);
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({
      error: { code: 'InvalidRequest', message: 'Subscription validation request timed out.' },
    });
  });

  it('checks URL scheme, expiration, clientState and whose mailbox a delegated token may watch', async () => {
    const http = await subscribe(megan, { notificationUrl: 'http://hooks.example.com/graph' });
    expect(http.status).toBe(400);
    const far = await subscribe(megan, { expirationDateTime: inMinutes(10_081) });
    expect(far.status).toBe(400);
    expect(far.json()).toMatchObject({
      error: {
        code: 'ExtensionError',
        message: 'Subscription expiration can only be 10080 minutes in the future.',
      },
    });
    expect((await subscribe(megan, { clientState: 'x'.repeat(129) })).status).toBe(400);
    const other = await subscribe(megan, {
      resource: `/users/${ADELE.id}/mailFolders('inbox')/messages`,
    });
    expect(other.status).toBe(403);
    expect(receiver.handshakes()).toHaveLength(0);
  });

  it('retries a failing receiver with backoff and records every attempt', async () => {
    await subscribe(megan);
    let calls = 0;
    receiver.behaviour = (_r, res) => {
      calls++;
      res.writeHead(calls === 1 ? 503 : 202).end();
    };
    inject('retry me');
    const delivery = await waitFor(() =>
      world.emulator.control.graph
        .notifications()
        .find((d) => d.url === receiver.url && d.state === 'delivered'),
    );
    expect(delivery.attempts.map((a) => a.status)).toEqual([503, 202]);
    expect(receiver.notifications()).toHaveLength(2);
  });

  it('gives up after the retry limit when the receiver times out', async () => {
    world.emulator.control.graph.configure({
      notifications: { deliveryTimeoutMs: 100, retryDelaysMs: [30] },
    });
    await subscribe(megan);
    receiver.behaviour = (r, res) => {
      if (r.url.searchParams.has('validationToken'))
        res.writeHead(200).end(r.url.searchParams.get('validationToken') ?? '');
    };
    inject('nobody answers');
    const delivery = await waitFor(
      () =>
        world.emulator.control.graph
          .notifications()
          .find((d) => d.url === receiver.url && d.state === 'failed'),
      3_000,
    );
    expect(delivery.attempts.map((a) => a.error)).toEqual(['timeout', 'timeout']);
  });

  it('drops the next N notifications on demand (missed notifications)', async () => {
    const sub = (await subscribe(megan)).json<{ id: string }>();
    world.emulator.control.graph.dropNextNotifications(2, sub.id);
    inject('lost 1');
    inject('lost 2');
    inject('kept');
    await waitFor(() => receiver.notifications().length === 1);
    // The receiver has the request before the emulator has its answer: wait for the record.
    const states = await waitFor(() => {
      const found = world.emulator.control.graph
        .notifications({ subscriptionId: sub.id })
        .map((d) => d.state);
      return found.includes('pending') ? undefined : found;
    });
    expect(states).toEqual(['dropped', 'dropped', 'delivered']);
  });

  it('sends lifecycle notifications; subscriptionRemoved also removes the subscription', async () => {
    const sub = (await subscribe(megan)).json<{ id: string; expirationDateTime: string }>();
    for (const event of ['reauthorizationRequired', 'missed'] as const) {
      const delivery = await world.emulator.control.graph.sendLifecycleEvent(sub.id, event);
      expect(delivery).toMatchObject({
        kind: 'lifecycle',
        lifecycleEvent: event,
        state: 'delivered',
        url: lifecycle.url,
      });
    }
    const removed = await world.emulator.control.graph.removeSubscription(sub.id);
    expect(removed?.state).toBe('delivered');
    expect(lifecycle.notifications().map((n) => n.value[0])).toEqual(
      ['reauthorizationRequired', 'missed', 'subscriptionRemoved'].map((lifecycleEvent) => ({
        subscriptionId: sub.id,
        subscriptionExpirationDateTime: sub.expirationDateTime,
        tenantId: CONTOSO_TENANT_ID,
        clientState: 'secret-client-state',
        lifecycleEvent,
      })),
    );
    expect((await megan.get(`/v1.0/subscriptions/${sub.id}`)).status).toBe(404);
    inject('after removal');
    await new Promise((r) => setTimeout(r, 100));
    expect(receiver.notifications()).toHaveLength(0);
  });

  it('lists, renews and deletes subscriptions; app tokens subscribe to any mailbox', async () => {
    const sub = (await subscribe(megan)).json<{ id: string }>();
    const listed = (await megan.get('/v1.0/subscriptions')).json<{ value: Array<{ id: string }> }>()
      .value;
    expect(listed.map((s) => s.id)).toContain(sub.id);
    const renewed = await megan.patch(`/v1.0/subscriptions/${sub.id}`, {
      expirationDateTime: inMinutes(4000),
    });
    expect(renewed.status).toBe(200);
    expect(
      Date.parse(renewed.json<{ expirationDateTime: string }>().expirationDateTime),
    ).toBeGreaterThan(Date.now() + 3999 * 60_000);
    expect(
      (
        await megan.patch(`/v1.0/subscriptions/${sub.id}`, {
          expirationDateTime: inMinutes(20_000),
        })
      ).status,
    ).toBe(400);
    expect((await megan.delete(`/v1.0/subscriptions/${sub.id}`)).status).toBe(204);
    expect((await megan.get(`/v1.0/subscriptions/${sub.id}`)).status).toBe(404);
    const app = graphCaller(world.http, await appToken(world));
    const appSub = await subscribe(app, {
      resource: `/users/${ADELE.id}/mailFolders('inbox')/messages`,
    });
    expect(appSub.status).toBe(201);
    expect((await subscribe(app)).status).toBe(400);
  });

  it('stops notifying once a subscription expires', async () => {
    await subscribe(megan, { expirationDateTime: inMinutes(5) });
    world.emulator.control.advanceClock(6 * 60_000);
    try {
      inject('too late');
      await new Promise((r) => setTimeout(r, 100));
      expect(receiver.notifications()).toHaveLength(0);
    } finally {
      world.emulator.control.advanceClock(-6 * 60_000);
    }
  });
});
