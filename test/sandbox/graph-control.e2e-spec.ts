import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ADELE, MEGAN } from '../../src/sandbox/seed.js';
import {
  graphCaller,
  MAIL_SCOPES,
  Receiver,
  startGraphWorld,
  userToken,
  waitFor,
  type GraphCaller,
  type GraphWorld,
} from './support/graph-world.js';

describe('Graph emulator: control API over HTTP', () => {
  let world: GraphWorld;
  let megan: GraphCaller;
  let receiver: Receiver;

  beforeAll(async () => {
    world = await startGraphWorld({ seed: 'default' });
    megan = graphCaller(world.http, await userToken(world, MEGAN.id, MAIL_SCOPES));
    receiver = await Receiver.start();
  });

  afterAll(async () => {
    await receiver.close();
    await world.close();
  });

  const control = (method: string, path: string, payload?: unknown) =>
    world.http.sendJson(method, `/_emulator${path}`, payload);

  it('injects inbound mail with arbitrary headers, threads it, and reads or deletes it', async () => {
    const first = await control('POST', '/mail/inbound', {
      mailbox: MEGAN.mail,
      from: { address: 'buyer@prospect.example', name: 'Buyer' },
      subject: 'Question',
      body: 'Can we talk?',
      internetMessageHeaders: [
        { name: 'Auto-Submitted', value: 'auto-replied' },
        { name: 'List-Id', value: '<news.prospect.example>' },
      ],
    });
    expect(first.status).toBe(201);
    const original = first.json<{
      id: string;
      internetMessageId: string;
      conversationId: string;
    }>();
    const followUp = (
      await control('POST', '/mail/inbound', {
        mailbox: MEGAN.id,
        from: 'buyer@prospect.example',
        subject: 'RE: Question',
        inReplyTo: original.internetMessageId,
      })
    ).json<{ id: string; conversationId: string }>();
    expect(followUp.conversationId).toBe(original.conversationId);

    const seen = (
      await megan.get(`/v1.0/me/messages/${original.id}?$select=internetMessageHeaders,from`)
    ).json<{
      internetMessageHeaders: Array<{ name: string; value: string }>;
    }>();
    expect(seen.internetMessageHeaders).toEqual(
      expect.arrayContaining([
        { name: 'Auto-Submitted', value: 'auto-replied' },
        { name: 'List-Id', value: '<news.prospect.example>' },
      ]),
    );

    const listed = (await control('GET', `/mailboxes/${MEGAN.mail}/messages?folder=inbox`)).json<
      Array<{ id: string }>
    >();
    expect(listed.map((m) => m.id)).toEqual(expect.arrayContaining([original.id, followUp.id]));
    expect(
      (await control('DELETE', `/mailboxes/${MEGAN.id}/messages/${followUp.id}`)).json(),
    ).toEqual({ removed: true });
    expect((await megan.get(`/v1.0/me/messages/${followUp.id}`)).status).toBe(404);
    expect(
      (
        await control('POST', '/mail/inbound', {
          mailbox: 'nobody@nowhere.example',
          from: 'a@b.example',
          subject: 'x',
        })
      ).status,
    ).toBe(400);
  });

  it('reads the sent log filtered by mailbox', async () => {
    const adele = graphCaller(world.http, await userToken(world, ADELE.id, MAIL_SCOPES));
    await adele.post('/v1.0/me/sendMail', {
      message: {
        subject: 'Logged',
        toRecipients: [{ emailAddress: { address: MEGAN.mail } }],
        internetMessageHeaders: [{ name: 'x-campaign', value: 'c-9' }],
      },
    });
    const log = (await control('GET', `/mail/sent?mailbox=${encodeURIComponent(ADELE.mail)}`)).json<
      Array<Record<string, unknown>>
    >();
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({
      mailboxId: ADELE.id,
      from: { address: ADELE.mail },
      sender: { address: ADELE.mail },
      toRecipients: [{ address: MEGAN.mail }],
      subject: 'Logged',
      internetMessageHeaders: expect.arrayContaining([{ name: 'x-campaign', value: 'c-9' }]),
      at: expect.any(String),
    });
    expect((await control('GET', `/mail/sent?mailbox=${MEGAN.id}`)).json()).toEqual([]);
  });

  it('lists subscriptions and deliveries, drops notifications, sends lifecycle events and removes', async () => {
    const created = await megan.post('/v1.0/subscriptions', {
      changeType: 'created',
      notificationUrl: receiver.url,
      lifecycleNotificationUrl: receiver.url,
      resource: '/me/messages',
      expirationDateTime: new Date(Date.now() + 3600_000).toISOString(),
      clientState: 'cs',
    });
    expect(created.status).toBe(201);
    const { id } = created.json<{ id: string }>();
    expect(receiver.handshakes()).toHaveLength(1);
    const subs = (await control('GET', '/subscriptions')).json<
      Array<{ id: string; target: { mailboxUserId: string; folderId: null } }>
    >();
    expect(subs.find((s) => s.id === id)?.target).toEqual({
      mailboxUserId: MEGAN.id,
      folderId: null,
    });

    await control('POST', '/notifications/drop-next', { count: 1 });
    await control('POST', '/mail/inbound', {
      mailbox: MEGAN.id,
      from: 'a@b.example',
      subject: 'dropped',
    });
    await control('POST', '/mail/inbound', {
      mailbox: MEGAN.id,
      from: 'a@b.example',
      subject: 'delivered',
    });
    await waitFor(() => receiver.notifications().length === 1);
    // The receiver has the request before the emulator has its answer: poll for the record.
    let states: string[] = [];
    for (let i = 0; i < 100; i += 1) {
      states = (await control('GET', `/notifications?subscriptionId=${id}&kind=change`))
        .json<Array<{ state: string }>>()
        .map((d) => d.state);
      if (!states.includes('pending')) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(states).toEqual(['dropped', 'delivered']);

    const missed = await control('POST', `/subscriptions/${id}/lifecycle`, { event: 'missed' });
    expect(missed.json()).toMatchObject({
      delivery: { lifecycleEvent: 'missed', state: 'delivered' },
    });
    const removed = await control('DELETE', `/subscriptions/${id}`);
    expect(removed.json()).toMatchObject({ delivery: { lifecycleEvent: 'subscriptionRemoved' } });
    expect((await control('GET', '/subscriptions')).json()).toEqual([]);
    expect(
      (await control('POST', `/subscriptions/${id}/lifecycle`, { event: 'missed' })).status,
    ).toBe(400);
  });

  it('changes Graph settings and throttling; reset restores the start settings', async () => {
    const throttle = await control('PUT', '/graph/throttling', { mailboxConcurrency: 1 });
    expect(throttle.json()).toMatchObject({
      mailboxConcurrency: 1,
      mailboxRequestsPerWindow: 10_000,
    });
    await control('PUT', '/graph/settings', {
      notifications: { retryDelaysMs: [10, 20, 40] },
      maxBatchRequests: 5,
    });
    const settings = (await control('GET', '/graph/settings')).json<{
      throttle: { mailboxConcurrency: number };
      maxBatchRequests: number;
      notifications: { retryDelaysMs: number[] };
    }>();
    expect(settings).toMatchObject({
      throttle: { mailboxConcurrency: 1 },
      maxBatchRequests: 5,
      notifications: { retryDelaysMs: [10, 20, 40] },
    });
    expect((await control('POST', '/reset')).status).toBe(204);
    const after = (await control('GET', '/graph/settings')).json<{
      throttle: { mailboxConcurrency: number };
      maxBatchRequests: number;
    }>();
    expect(after).toMatchObject({ throttle: { mailboxConcurrency: 4 }, maxBatchRequests: 20 });
    expect((await control('GET', '/mail/sent')).json()).toEqual([]);
  });
});
