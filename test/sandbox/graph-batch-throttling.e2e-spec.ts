import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { ADELE, MEGAN } from '../../src/sandbox/seed.js';
import {
  appToken,
  graphCaller,
  MAIL_SCOPES,
  startGraphWorld,
  userToken,
  type GraphCaller,
  type GraphWorld,
} from './support/graph-world.js';

interface BatchAnswer {
  responses: Array<{
    id: string;
    status: number;
    headers: Record<string, string>;
    body?: { error?: { code: string; message: string } } & Record<string, unknown>;
  }>;
}

describe('Graph emulator: $batch and per-mailbox throttling', () => {
  let world: GraphWorld;
  let adele: GraphCaller;
  let app: GraphCaller;

  beforeAll(async () => {
    world = await startGraphWorld();
    adele = graphCaller(world.http, await userToken(world, ADELE.id, MAIL_SCOPES));
    app = graphCaller(world.http, await appToken(world));
  });

  afterAll(async () => {
    await world.close();
  });

  afterEach(() => {
    world.emulator.control.clearFaults();
    world.emulator.control.graph.configure({
      throttle: { mailboxConcurrency: 4, mailboxRequestsPerWindow: 10_000, windowMs: 600_000 },
    });
    world.emulator.control.graph.resetThrottling();
    world.emulator.store.logs.clear();
  });

  const batch = async (caller: GraphCaller, requests: unknown[]) => {
    const res = await caller.post('/v1.0/$batch', { requests });
    expect(res.status).toBe(200);
    return new Map(res.json<BatchAnswer>().responses.map((r) => [r.id, r]));
  };

  it('runs each item through the normal pipeline, with its own status', async () => {
    world.emulator.control.failNext({
      method: 'GET',
      path: '/v1.0/me/mailFolders/inbox/messages',
      status: 429,
      headers: { 'Retry-After': '7' },
      body: { error: { code: 'TooManyRequests', message: 'Slow down' } },
    });
    const answers = await batch(adele, [
      { id: '1', method: 'GET', url: '/me?$select=id,mail' },
      { id: '2', method: 'GET', url: 'me/messages/AAMkunknown' },
      {
        id: '3',
        method: 'POST',
        url: '/me/sendMail',
        headers: { 'Content-Type': 'application/json' },
        body: {
          message: {
            subject: 'batched',
            toRecipients: [{ emailAddress: { address: MEGAN.mail } }],
          },
        },
      },
      { id: '4', method: 'GET', url: '/me/mailFolders/inbox/messages' },
      { id: '5', method: 'GET', url: '/users' },
    ]);
    expect(answers.get('1')).toMatchObject({
      status: 200,
      body: { id: ADELE.id, mail: ADELE.mail },
    });
    expect(answers.get('2')).toMatchObject({
      status: 404,
      body: { error: { code: 'ErrorItemNotFound' } },
    });
    expect(answers.get('3')?.status).toBe(202);
    expect(answers.get('3')?.body).toBeUndefined();
    expect(answers.get('4')).toMatchObject({ status: 429, headers: { 'retry-after': '7' } });
    expect(answers.get('5')).toMatchObject({
      status: 403,
      body: { error: { code: 'Authorization_RequestDenied' } },
    });
    expect(world.emulator.control.graph.sentMail({ mailbox: ADELE.id }).at(-1)?.subject).toBe(
      'batched',
    );
    expect(world.emulator.control.requestLog({ path: '/v1.0/me' }).length).toBeGreaterThanOrEqual(
      3,
    );
  });

  it('runs dependsOn items after their dependency and fails them with 424 when it failed', async () => {
    const answers = await batch(app, [
      { id: 'a', method: 'GET', url: `/users/nobody@contoso.com/messages` },
      { id: 'b', method: 'GET', url: `/users/${MEGAN.id}`, dependsOn: ['a'] },
      { id: 'c', method: 'GET', url: `/users/${MEGAN.id}?$select=mail` },
      { id: 'd', method: 'GET', url: `/users/${ADELE.id}?$select=id`, dependsOn: ['c'] },
    ]);
    expect(answers.get('a')?.status).toBe(404);
    expect(answers.get('b')).toMatchObject({
      status: 424,
      body: { error: { code: 'FailedDependency' } },
    });
    expect(answers.get('d')).toMatchObject({ status: 200, body: { id: ADELE.id } });
  });

  it('refuses more than 20 requests and malformed batches', async () => {
    const requests = Array.from({ length: 21 }, (_, i) => ({
      id: String(i),
      method: 'GET',
      url: '/me',
    }));
    const tooMany = await adele.post('/v1.0/$batch', { requests });
    expect(tooMany.status).toBe(400);
    expect(tooMany.json()).toMatchObject({ error: { code: 'BadRequest' } });
    expect((await adele.post('/v1.0/$batch', { nope: true })).status).toBe(400);
    const absolute = await batch(adele, [
      { id: '1', method: 'GET', url: 'https://example.com/v1.0/me' },
    ]);
    expect(absolute.get('1')?.status).toBe(400);
  });

  it('answers the 5th concurrent slow request to one mailbox with 429 MailboxConcurrency', async () => {
    world.emulator.control.addLatency(300, {
      method: 'GET',
      path: `/v1.0/users/${MEGAN.id}/messages`,
    });
    const results = await Promise.all(
      Array.from({ length: 5 }, () => app.get(`/v1.0/users/${MEGAN.id}/messages`)),
    );
    const throttled = results.filter((r) => r.status === 429);
    expect(throttled).toHaveLength(1);
    expect(results.filter((r) => r.status === 200)).toHaveLength(4);
    expect(throttled[0].headers['retry-after']).toMatch(/^\d+$/);
    expect(throttled[0].json()).toMatchObject({
      error: {
        code: 'ApplicationThrottled',
        message: expect.stringContaining('MailboxConcurrency'),
      },
    });
    const otherMailbox = await app.get(`/v1.0/users/${ADELE.id}/messages`);
    expect(otherMailbox.status).toBe(200);
  });

  it('gives a batch item its own 429 + Retry-After when the mailbox is over its concurrency', async () => {
    world.emulator.control.addLatency(300, {
      method: 'GET',
      path: `/v1.0/users/${MEGAN.id}/mailFolders/inbox/messages`,
    });
    const requests = Array.from({ length: 5 }, (_, i) => ({
      id: String(i + 1),
      method: 'GET',
      url: `/users/${MEGAN.id}/mailFolders/inbox/messages`,
    }));
    const answers = [...(await batch(app, requests)).values()];
    const throttled = answers.filter((a) => a.status === 429);
    expect(throttled).toHaveLength(1);
    expect(throttled[0].headers['retry-after']).toBeDefined();
    expect(throttled[0].body?.error?.message).toContain('MailboxConcurrency');
  });

  it('enforces the per-mailbox request budget with Retry-After until the window passes', async () => {
    world.emulator.control.graph.setThrottling({ mailboxRequestsPerWindow: 3, windowMs: 60_000 });
    for (let i = 0; i < 3; i++)
      expect((await app.get(`/v1.0/users/${MEGAN.id}/messages?$top=1`)).status).toBe(200);
    const over = await app.get(`/v1.0/users/${MEGAN.id}/messages?$top=1`);
    expect(over.status).toBe(429);
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(over.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(over.json()).toMatchObject({ error: { code: 'ApplicationThrottled' } });
    expect((await adele.get('/v1.0/me/messages?$top=1')).status).toBe(200);
    world.emulator.control.advanceClock(61_000);
    try {
      expect((await app.get(`/v1.0/users/${MEGAN.id}/messages?$top=1`)).status).toBe(200);
    } finally {
      world.emulator.control.advanceClock(-61_000);
    }
  });
});
