import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { ADELE, MEGAN, SANDBOX_APP } from '../../src/sandbox/seed.js';
import {
  appToken,
  graphCaller,
  startGraphWorld,
  type GraphCaller,
  type GraphWorld,
} from './support/graph-world.js';

/** Polls an async condition every 25 ms until it holds or `timeoutMs` passes. */
async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

const to = (address: string) => [{ emailAddress: { address } }];

describe('uncertain outcomes: dropped connections and timed faults', () => {
  let world: GraphWorld;
  let app: GraphCaller;

  beforeAll(async () => {
    world = await startGraphWorld();
    app = graphCaller(world.http, await appToken(world));
  });

  beforeEach(() => {
    world.emulator.control.clearFaults();
    world.emulator.control.clearLogs();
  });

  afterAll(() => world.close());

  const sendAsAdele = (subject: string) =>
    app.post(`/v1.0/users/${ADELE.id}/sendMail`, {
      message: { subject, toRecipients: to(MEGAN.mail) },
    });
  const sentSubjects = () => world.emulator.control.graph.sentMail().map((r) => r.subject);
  const sentItems = () =>
    world.emulator.control.graph.messages(ADELE.id, 'sentitems').map((m) => m.subject);

  it('drop before: the request is not handled and the client gets ECONNRESET', async () => {
    world.emulator.control.addFault({
      method: 'POST',
      path: '/v1.0/users/*/sendMail',
      drop: 'before',
      times: 1,
    });
    await expect(sendAsAdele('never sent')).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(sentSubjects()).not.toContain('never sent');
    expect(sentItems()).not.toContain('never sent');
    expect(world.emulator.control.requestLog({ path: '/sendMail' })).toEqual([
      expect.objectContaining({ method: 'POST', status: 0, dropped: 'before' }),
    ]);
    expect((await sendAsAdele('second try')).status).toBe(202);
  });

  it('drop after: the request is handled fully but the answer never arrives', async () => {
    world.emulator.control.addFault({
      method: 'POST',
      path: '/v1.0/users/*/sendMail',
      drop: 'after',
      times: 1,
    });
    await expect(sendAsAdele('sent, answer lost')).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(sentSubjects()).toContain('sent, answer lost');
    expect(sentItems()).toContain('sent, answer lost');
    expect(world.emulator.control.requestLog({ path: '/sendMail' })).toEqual([
      expect.objectContaining({
        status: 202,
        dropped: 'after',
        tokenKind: 'app',
        clientId: SANDBOX_APP.clientId,
      }),
    ]);
  });

  it('drops only the requests of the given user, after letting some through', async () => {
    world.emulator.control.addFault({
      path: '/v1.0/users/**',
      drop: 'after',
      after: 1,
      userId: 'someone-else',
    });
    expect((await sendAsAdele('not this user')).status).toBe(202);
    await world.http.sendJson('POST', '/_emulator/faults', {
      method: 'POST',
      path: '/v1.0/users/*/sendMail',
      drop: 'before',
      after: 1,
      times: 1,
    });
    expect((await sendAsAdele('let through')).status).toBe(202);
    await expect(sendAsAdele('dropped')).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect((await sendAsAdele('fine again')).status).toBe(202);
    expect(sentSubjects()).not.toContain('dropped');
  });

  it('refuses a drop mode it does not know, or a drop together with a response', async () => {
    const bad = await world.http.sendJson('POST', '/_emulator/faults', {
      path: '/v1.0/me',
      drop: 'sometimes',
    });
    expect(bad.status).toBe(400);
    expect(() =>
      world.emulator.control.addFault({
        path: '/v1.0/me',
        drop: 'before',
        response: { status: 500 },
      }),
    ).toThrow(/either drops or answers/);
  });

  it('makes the token endpoint answer 503 with Retry-After for a duration (forMs)', async () => {
    const token = () =>
      world.http.postForm('/contoso.com/oauth2/v2.0/token', {
        grant_type: 'client_credentials',
        client_id: SANDBOX_APP.clientId,
        client_secret: SANDBOX_APP.clientSecret,
        scope: 'https://graph.microsoft.com/.default',
      });
    world.emulator.control.setTokenEndpointAvailable(false, 30, 3 * 60_000);
    const during = await token();
    expect(during.status).toBe(503);
    expect(during.headers['retry-after']).toBe('30');
    expect(during.json()).toMatchObject({ error: 'temporarily_unavailable' });
    world.emulator.control.advanceClock(2 * 60_000);
    expect((await token()).status).toBe(503);
    world.emulator.control.advanceClock(60_001);
    try {
      expect((await token()).status).toBe(200);
      expect(world.emulator.control.faults()).toHaveLength(0);
    } finally {
      world.emulator.control.advanceClock(-(3 * 60_000 + 1));
    }
  });

  it('accepts forMs on any fault rule over HTTP and lists when it ends', async () => {
    const added = await world.http.sendJson('POST', '/_emulator/faults', {
      method: 'GET',
      path: '/v1.0/users',
      response: { status: 503, headers: { 'Retry-After': '5' } },
      forMs: 10_000,
    });
    const rule = added.json<{ expiresAt: string; drop: null }>();
    expect(Date.parse(rule.expiresAt)).toBeGreaterThan(Date.now());
    expect((await app.get('/v1.0/users')).status).toBe(503);
    expect((await app.get('/v1.0/users')).status).toBe(503);
    world.emulator.control.advanceClock(10_001);
    try {
      expect((await app.get('/v1.0/users')).status).toBe(200);
      expect((await world.http.get('/_emulator/faults')).json()).toEqual([]);
    } finally {
      world.emulator.control.advanceClock(-10_001);
    }
  });

  describe('Sent Items delay', () => {
    afterAll(() => world.emulator.control.setSentItemsDelayMs(0));

    const sentItemsWith = async (subject: string) => {
      const filter = encodeURIComponent(`subject eq '${subject}'`);
      const res = await app.get(
        `/v1.0/users/${ADELE.id}/mailFolders/sentitems/messages?$filter=${filter}`,
      );
      return res.json<{ value: Array<{ id: string }> }>().value;
    };

    it('hides the sent copy from Sent Items queries until the delay has passed', async () => {
      const set = await world.http.sendJson('PUT', '/_emulator/mail/sent-items-delay', { ms: 400 });
      expect(set.json()).toEqual({ sentItemsDelayMs: 400 });
      expect((await sendAsAdele('filed late')).status).toBe(202);
      const record = world.emulator.control.graph.sentMail().at(-1);
      expect(record).toMatchObject({ subject: 'filed late', sentItemId: expect.any(String) });
      expect(await sentItemsWith('filed late')).toEqual([]);
      const byId = await app.get(`/v1.0/users/${ADELE.id}/messages/${record?.sentItemId}`);
      expect(byId.status).toBe(404);
      await waitFor(async () => (await sentItemsWith('filed late')).length === 1, 3_000);
      expect((await sentItemsWith('filed late'))[0].id).toBe(record?.sentItemId);
    });

    it('follows the emulator clock too', async () => {
      world.emulator.control.setSentItemsDelayMs(60_000);
      expect((await sendAsAdele('filed a minute later')).status).toBe(202);
      expect(await sentItemsWith('filed a minute later')).toEqual([]);
      world.emulator.control.advanceClock(60_001);
      try {
        expect(await sentItemsWith('filed a minute later')).toHaveLength(1);
      } finally {
        world.emulator.control.advanceClock(-60_001);
      }
    });
  });
});
