import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TestClock } from '../../src/common/time/clock.js';
import { ADELE } from '../../src/sandbox/seed.js';
import { call, createSandboxApp, type SandboxApp, sandboxToken } from '../support/sandbox-app.js';
import { assign, connectMailbox, createProfile, drain, type Ids } from '../support/sending.js';

interface MessageBody {
  id: string;
  status: string;
  attempts: number;
  isReply: boolean;
  inReplyTo: string | null;
  waitingReason: string | null;
  expectedAt: string | null;
}

// Saturday 2026-12-05 11:00 in Berlin.
const SATURDAY = '2026-12-05T10:00:00.000Z';
// Monday 2026-12-07 08:00 in Berlin.
const MONDAY_OPENING = '2026-12-07T07:00:00.000Z';

describe('outreach pace through the API (e2e, test clock)', () => {
  let t: SandboxApp;
  let token: string;
  let adele: Ids;
  let profileId: string;
  const clock = new TestClock(SATURDAY);

  beforeAll(async () => {
    t = await createSandboxApp({}, { clock });
    token = await sandboxToken(t, 'user-a', 'ws-pace');
    adele = await connectMailbox(t, token, ADELE.id);
  });
  afterAll(() => t.close());

  const post = (body: Record<string, unknown>) =>
    call(t, 'POST', '/v1/messages', {
      token,
      body: {
        senderProfileId: profileId,
        to: ['lead@example.com'],
        subject: 'Hi',
        text: 'Hello',
        ...body,
      },
    });
  const get = async (id: string) =>
    (await call(t, 'GET', `/v1/messages/${id}`, { token })).json<MessageBody>();

  it('a profile created with pace: {} gets the recommended pace; a Windows zone is stored as IANA', async () => {
    const created = await call(t, 'POST', '/v1/sender-profiles', {
      token,
      body: {
        name: 'Paced',
        fromName: 'Adele',
        pace: {
          window: {
            days: [5, 1, 2, 3, 4],
            start: '08:00',
            end: '18:00',
            timeZone: 'W. Europe Standard Time',
          },
        },
      },
    });
    expect(created.status).toBe(201);
    const body = created.json<{ id: string; pace: unknown }>();
    expect(body.pace).toEqual({
      dailyCap: 30,
      gap: { minSeconds: 60, maxSeconds: 120 },
      window: { days: [1, 2, 3, 4, 5], start: '08:00', end: '18:00', timeZone: 'Europe/Berlin' },
      ramp: { start: 5, step: 5 },
    });
    profileId = body.id;
    await assign(t, token, adele.primaryIdentityId, profileId);
    // A profile created without pace has none (Exchange limits only).
    const plain = await createProfile(t, token, { name: 'Plain' });
    expect(
      (await call(t, 'GET', `/v1/sender-profiles/${plain}`, { token })).json().pace,
    ).toBeNull();
  });

  it('the identity overrides the cap; GET /v1/messages/:id says it waits for the window and until when', async () => {
    const patched = await call(t, 'PATCH', `/v1/identities/${adele.primaryIdentityId}`, {
      token,
      body: { pace: { dailyCap: 1, ramp: null } },
    });
    expect(patched.status).toBe(200);
    expect(patched.json().pace).toEqual({ dailyCap: 1 });

    const first = (await post({ subject: 'first' })).json<MessageBody>();
    await drain(t);
    const waiting = await get(first.id);
    expect(waiting).toMatchObject({
      status: 'queued',
      attempts: 0,
      waitingReason: 'waiting_for_window',
      expectedAt: MONDAY_OPENING,
    });
    const listed = (await call(t, 'GET', '/v1/messages?status=queued', { token })).json<{
      items: MessageBody[];
    }>();
    expect(listed.items.find((m) => m.id === first.id)).toMatchObject({
      waitingReason: 'waiting_for_window',
      expectedAt: MONDAY_OPENING,
    });

    clock.set(MONDAY_OPENING);
    const second = (await post({ subject: 'second' })).json<MessageBody>();
    await drain(t);
    // The identity's own cap of 1 a day: one goes, the other waits for Tuesday's opening.
    const both = [await get(first.id), await get(second.id)];
    expect(both.map((m) => m.status).sort()).toEqual(['queued', 'sent']);
    expect(both.find((m) => m.status === 'queued')).toMatchObject({
      attempts: 0,
      waitingReason: 'daily_cap_reached',
      expectedAt: '2026-12-08T07:00:00.000Z',
    });
  });

  it('a reply is not held back by the cap or the window, and says what it answers', async () => {
    clock.set('2026-12-07T20:00:00.000Z');
    const since = new Date();
    const reply = await post({
      subject: 'Re: pricing',
      isReply: true,
      inReplyTo: '<q1@example.com>',
    });
    expect(reply.status).toBe(202);
    await drain(t);
    expect(await get(reply.json<MessageBody>().id)).toMatchObject({
      status: 'sent',
      isReply: true,
      inReplyTo: '<q1@example.com>',
      waitingReason: null,
      expectedAt: null,
    });
    expect(t.emulator.control.graph.sentMail({ since }).map((s) => s.subject)).toEqual([
      'Re: pricing',
    ]);
  });

  it('pace: null on the identity inherits again; on the profile turns pace off', async () => {
    const cleared = await call(t, 'PATCH', `/v1/identities/${adele.primaryIdentityId}`, {
      token,
      body: { pace: null },
    });
    expect(cleared.json().pace).toBeNull();
    const off = await call(t, 'PATCH', `/v1/sender-profiles/${profileId}`, {
      token,
      body: { pace: null },
    });
    expect(off.status).toBe(200);
    expect(off.json().pace).toBeNull();
    const queued = (await call(t, 'GET', '/v1/messages?status=queued', { token })).json<{
      items: MessageBody[];
    }>();
    expect(queued.items.map((m) => m.waitingReason)).toEqual(['daily_cap_reached']);
    // Pace off: what it held back goes now (sender-profile.pace-changed), not on Tuesday.
    await drain(t);
    await drain(t);
    for (const m of queued.items) expect((await get(m.id)).status).toBe('sent');
  });

  describe('hostile pace input: 400 with a clear code, never 500', () => {
    const cases: [unknown, string][] = [
      ['fast', 'pace_invalid'],
      [[1, 2], 'pace_invalid'],
      [42, 'pace_invalid'],
      [{ turbo: true }, 'pace_invalid'],
      [{ dailyCap: 0 }, 'pace_daily_cap_invalid'],
      [{ dailyCap: 10_001 }, 'pace_daily_cap_invalid'],
      [{ dailyCap: 1e308 }, 'pace_daily_cap_invalid'],
      [{ dailyCap: '30' }, 'pace_daily_cap_invalid'],
      [{ dailyCap: 2.5 }, 'pace_daily_cap_invalid'],
      [{ gap: { minSeconds: 90, maxSeconds: 60 } }, 'pace_gap_invalid'],
      [{ gap: { minSeconds: -5, maxSeconds: 60 } }, 'pace_gap_invalid'],
      [{ gap: [60, 90] }, 'pace_gap_invalid'],
      [{ gap: { minSeconds: 60 } }, 'pace_gap_invalid'],
      [{ ramp: { start: 0, step: 1 } }, 'pace_ramp_invalid'],
      [{ ramp: { start: 5, step: -1 } }, 'pace_ramp_invalid'],
      [{ window: { days: [1, 9], start: '08:00', end: '18:00' } }, 'pace_window_days_invalid'],
      [{ window: { days: [], start: '08:00', end: '18:00' } }, 'pace_window_days_invalid'],
      [{ window: { days: [1, 1], start: '08:00', end: '18:00' } }, 'pace_window_days_invalid'],
      [{ window: { days: [1], start: '8am', end: '18:00' } }, 'pace_window_time_invalid'],
      [{ window: { days: [1], start: '08:00', end: '25:00' } }, 'pace_window_time_invalid'],
      [{ window: { days: [1], start: '18:00', end: '08:00' } }, 'pace_window_empty'],
      [
        { window: { days: [1], start: '08:00', end: '18:00', timeZone: 'Mars/Olympus_Mons' } },
        'pace_time_zone_unknown',
      ],
      [
        { window: { days: [1], start: '08:00', end: '18:00', timeZone: 'UTC\u0000' } },
        'validation_failed',
      ],
    ];

    cases.push([
      { window: { days: [1], start: '08:00', end: '18:00', timeZone: 'x'.repeat(10_000) } },
      'pace_time_zone_unknown',
    ]);
    const label = (pace: unknown) => JSON.stringify(pace).slice(0, 80);

    it.each(cases.map(([pace, code]) => [label(pace), pace, code] as const))(
      'pace %s -> %s on every route that takes it',
      async (_label, pace, code) => {
        const routes: [string, string, Record<string, unknown>][] = [
          ['POST', '/v1/sender-profiles', { name: 'X', fromName: 'Y', pace }],
          ['PATCH', `/v1/sender-profiles/${profileId}`, { pace }],
          ['PATCH', `/v1/identities/${adele.primaryIdentityId}`, { pace }],
        ];
        for (const [method, path, body] of routes) {
          const res = await call(t, method, path, { token, body });
          const answered = res.json<{ error: { code: string } }>().error.code;
          expect({ path, status: res.status, code: answered }).toEqual({ path, status: 400, code });
        }
      },
    );

    it('a __proto__ key pollutes nothing and is never a 500', async () => {
      const pace = JSON.parse('{"__proto__": {"dailyCap": 1}, "dailyCap": 7}') as unknown;
      const res = await call(t, 'PATCH', `/v1/identities/${adele.primaryIdentityId}`, {
        token,
        body: { pace },
      });
      expect(res.status).toBeLessThan(500);
      expect(({} as Record<string, unknown>).dailyCap).toBeUndefined();
      await call(t, 'PATCH', `/v1/identities/${adele.primaryIdentityId}`, {
        token,
        body: { pace: null },
      });
    });

    it('isReply and inReplyTo are checked too', async () => {
      expect((await post({ isReply: 'yes' })).status).toBe(400);
      const orphan = await post({ inReplyTo: '<a@b>' });
      expect(orphan.status).toBe(400);
      expect(orphan.json<{ error: { code: string } }>().error.code).toBe('validation_failed');
      expect((await post({ isReply: true, inReplyTo: 'a'.repeat(1000) })).status).toBe(400);
    });
  });
});
