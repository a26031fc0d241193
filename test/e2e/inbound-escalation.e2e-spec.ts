import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { TestClock } from '../../src/common/time/clock.js';
import { ESCALATED_CATEGORY } from '../../src/modules/inbound/escalation.step.js';
import { ADELE, MEGAN } from '../../src/sandbox/seed.js';
import { runInbound, setInbound } from '../support/inbound.js';
import { call, createSandboxApp, type SandboxApp, sandboxToken } from '../support/sandbox-app.js';
import { connectMailbox, type Ids } from '../support/sending.js';

interface Item {
  graphMessageId: string;
  conversationId: string | null;
  action: string | null;
  reason: string | null;
  status: string;
  escalationTopic: string | null;
}

/**
 * Guard rails before an AI reply, over the emulator (full_auto, send mode, rules provider):
 * escalation topics, one AI reply in a row per thread, the daily AI-reply cap, business hours,
 * and hostile values for the new settings. Time is a TestClock the app decides by (the
 * pipeline's due work, the cap's 24 hours, business hours).
 */
describe('inbound AI escalation and reply limits (e2e)', () => {
  let t: SandboxApp;
  let token: string;
  let adele: Ids;
  let megan: Ids;
  const clock = new TestClock();

  beforeAll(async () => {
    t = await createSandboxApp({ INBOUND_DELIVERY: 'polling' }, { clock });
    token = await sandboxToken(t, 'user-a', 'ws-escalation');
    adele = await connectMailbox(t, token, ADELE.id);
    megan = await connectMailbox(t, token, MEGAN.id);
    for (const ids of [adele, megan])
      await setInbound(t, token, ids.mailboxId, {
        enabled: true,
        behavior: 'full_auto',
        replyMode: 'send',
      });
    await runInbound(t);
  });
  afterAll(() => t.close());

  const sends = (mailbox: string, since: Date) =>
    t.emulator.control.graph.sentMail({ mailbox, since }).filter((s) => s.operation === 'send');
  const items = async (query: string) => {
    const res = await call(t, 'GET', `/v1/inbound/messages${query}`, { token });
    expect(res.status).toBe(200);
    return res.json<{ items: Item[] }>().items;
  };
  const itemOf = async (mailboxId: string, graphMessageId: string) =>
    (await items(`?mailboxId=${mailboxId}&limit=100`)).find(
      (i) => i.graphMessageId === graphMessageId,
    );
  const question = (mailbox: string, who: string, extra: Record<string, unknown> = {}) =>
    t.emulator.control.graph.injectInbound({
      mailbox,
      from: { address: `${who}@customer.example`, name: who },
      subject: `Login problem ${randomUUID().slice(0, 8)}`,
      body: 'Hello, I cannot log in since this morning: the page shows an error. Can you help?',
      ...extra,
    });

  it('a refund request in a full_auto mailbox: no reply, flagged and categorised, escalated with the topic', async () => {
    const since = new Date();
    const message = t.emulator.control.graph.injectInbound({
      mailbox: ADELE.mail,
      from: { address: 'pat@customer.example', name: 'Pat' },
      subject: 'Our subscription',
      body: 'Hello, we were charged twice this month. Can you help us get a refund?',
    });
    await runInbound(t);
    await runInbound(t);
    expect(sends(ADELE.mail, since)).toHaveLength(0);
    const inMailbox = t.emulator.control.graph.message(ADELE.mail, message.id);
    expect(inMailbox.flag).toEqual({ flagStatus: 'flagged' });
    expect(inMailbox.categories).toContain(ESCALATED_CATEGORY);
    expect(await itemOf(adele.mailboxId, message.id)).toMatchObject({
      action: 'escalated',
      reason: 'escalated:refund',
      escalationTopic: 'refund',
      status: 'done',
    });
    const escalated = await items('?action=escalated');
    expect(escalated.map((i) => i.graphMessageId)).toContain(message.id);
    expect(escalated.every((i) => i.action === 'escalated')).toBe(true);
    const replies = await call(t, 'GET', '/v1/inbound/replies?limit=100', { token });
    expect(
      replies.json<{ items: { conversationId: string }[] }>().items.map((r) => r.conversationId),
    ).not.toContain(message.conversationId);
  });

  it('a second AI reply in a row in a thread is refused; after a person wrote from the mailbox, the AI may answer again', async () => {
    const since = new Date();
    const first = question(ADELE.mail, 'lou');
    await runInbound(t);
    const [reply] = sends(ADELE.mail, since);
    expect(reply.conversationId).toBe(first.conversationId);
    expect(await itemOf(adele.mailboxId, first.id)).toMatchObject({ action: 'replied' });

    const second = question(ADELE.mail, 'lou', {
      subject: `RE: ${reply.subject}`,
      inReplyTo: reply.internetMessageId,
    });
    expect(second.conversationId).toBe(first.conversationId);
    await runInbound(t);
    expect(sends(ADELE.mail, since)).toHaveLength(1);
    expect(await itemOf(adele.mailboxId, second.id)).toMatchObject({
      action: 'triaged',
      reason: 'ai_reply_in_a_row',
    });

    // A person answers from Outlook: their message is in Sent Items, in the conversation.
    const human = t.emulator.control.graph.injectInbound({
      mailbox: ADELE.mail,
      folder: 'sentitems',
      from: { address: ADELE.mail, name: 'Adele Vance' },
      to: [{ address: 'lou@customer.example', name: 'lou' }],
      subject: `RE: ${reply.subject}`,
      body: 'Lou, I reset your account; try again please.',
      inReplyTo: second.internetMessageId,
      isRead: true,
    });
    expect(human.conversationId).toBe(first.conversationId);
    await new Promise((r) => setTimeout(r, 20));
    const third = question(ADELE.mail, 'lou', {
      subject: `RE: ${reply.subject}`,
      inReplyTo: human.internetMessageId,
    });
    await runInbound(t);
    expect(sends(ADELE.mail, since)).toHaveLength(2);
    expect(await itemOf(adele.mailboxId, third.id)).toMatchObject({ action: 'replied' });
  });

  it('the daily AI-reply cap of a mailbox: once reached, no more AI replies that day (reason listed)', async () => {
    await setInbound(t, token, megan.mailboxId, { dailyReplyCap: 2 });
    const since = new Date();
    const messages = [question(MEGAN.mail, 'a1'), question(MEGAN.mail, 'a2')];
    await runInbound(t);
    messages.push(question(MEGAN.mail, 'a3'), question(MEGAN.mail, 'a4'));
    await runInbound(t);
    expect(sends(MEGAN.mail, since)).toHaveLength(2);
    const outcome = await Promise.all(messages.map((m) => itemOf(megan.mailboxId, m.id)));
    expect(outcome.map((i) => i?.action)).toEqual(['replied', 'replied', 'triaged', 'triaged']);
    expect(outcome.slice(2).map((i) => i?.reason)).toEqual([
      'daily_ai_reply_cap_reached',
      'daily_ai_reply_cap_reached',
    ]);
    // The cap counts the last 24 hours of the app's clock: a day later there is room again.
    clock.advance(23 * 3600_000);
    const early = question(MEGAN.mail, 'a5');
    await runInbound(t);
    expect(await itemOf(megan.mailboxId, early.id)).toMatchObject({
      action: 'triaged',
      reason: 'daily_ai_reply_cap_reached',
    });
    clock.advance(3600_000 + 60_000);
    const nextDay = question(MEGAN.mail, 'a6');
    await runInbound(t);
    expect(sends(MEGAN.mail, since)).toHaveLength(3);
    expect(await itemOf(megan.mailboxId, nextDay.id)).toMatchObject({ action: 'replied' });
    await setInbound(t, token, megan.mailboxId, { dailyReplyCap: 50 });
  });

  it('business hours: outside the window the reply waits (reason listed) and goes when it opens', async () => {
    // 06:00 UTC on the clock's next day; the window opens at 09:00.
    const day = new Date(clock.now());
    day.setUTCHours(24, 0, 0, 0);
    clock.set(new Date(day.getTime() + 6 * 3600_000));
    const opens = new Date(day.getTime() + 9 * 3600_000);
    await setInbound(t, token, megan.mailboxId, {
      businessHours: { timeZone: 'UTC', days: [0, 1, 2, 3, 4, 5, 6], start: '09:00', end: '17:00' },
    });
    const since = new Date();
    const message = question(MEGAN.mail, 'hb');
    await runInbound(t);
    expect(sends(MEGAN.mail, since)).toHaveLength(0);
    expect(await itemOf(megan.mailboxId, message.id)).toMatchObject({
      status: 'processing',
      reason: 'waiting_for_business_hours',
    });
    const row = await t.db.prisma.inboundMessage.findFirstOrThrow({
      where: { graphMessageId: message.id },
    });
    expect(row.nextAttemptAt.toISOString()).toBe(opens.toISOString());
    // A second before it opens: still waiting.
    clock.set(new Date(opens.getTime() - 1000));
    await runInbound(t);
    expect(sends(MEGAN.mail, since)).toHaveLength(0);
    // The window opens: the waiting reply goes, once.
    clock.set(new Date(opens.getTime() + 1000));
    await runInbound(t);
    await runInbound(t);
    expect(sends(MEGAN.mail, since)).toHaveLength(1);
    expect(await itemOf(megan.mailboxId, message.id)).toMatchObject({ action: 'replied' });
    await setInbound(t, token, megan.mailboxId, { businessHours: null });
  });

  it('custom topics and the confidence floor escalate too; the policy reads back', async () => {
    await setInbound(t, token, megan.mailboxId, {
      escalationTopics: [{ topic: 'competitor', phrases: ['Acme Corp'] }],
    });
    const since = new Date();
    const message = question(MEGAN.mail, 'cc', {
      body: 'We use ACME corp today. I cannot log in to your trial either, can you help?',
    });
    await setInbound(t, token, adele.mailboxId, { confidenceFloor: 1 });
    const low = question(ADELE.mail, 'cf');
    await runInbound(t);
    expect(sends(MEGAN.mail, since)).toHaveLength(0);
    expect(sends(ADELE.mail, since)).toHaveLength(0);
    expect(await itemOf(megan.mailboxId, message.id)).toMatchObject({
      action: 'escalated',
      escalationTopic: 'competitor',
    });
    expect(await itemOf(adele.mailboxId, low.id)).toMatchObject({
      action: 'escalated',
      reason: 'escalated:below_confidence_floor',
      escalationTopic: null,
    });
    const policy = await call(t, 'GET', `/v1/inbound/mailboxes/${megan.mailboxId}/reply-policy`, {
      token,
    });
    expect(policy.json()).toMatchObject({
      replyMode: 'send',
      escalationTopics: [{ topic: 'competitor', phrases: ['acme corp'] }],
    });
    await setInbound(t, token, megan.mailboxId, { escalationTopics: null });
    await setInbound(t, token, adele.mailboxId, { confidenceFloor: null });
    const restored = await call(t, 'GET', `/v1/inbound/mailboxes/${megan.mailboxId}/reply-policy`, {
      token,
    });
    expect(
      restored.json<{ escalationTopics: { topic: string }[] }>().escalationTopics.length,
    ).toBeGreaterThan(5);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['unknown reply mode', { replyMode: 'yolo' }, 'replyMode'],
    ['reply mode not a string', { replyMode: ['send'] }, 'replyMode'],
    ['undo window too short', { undoWindowSeconds: 1 }, 'undoWindowSeconds'],
    ['undo window huge', { undoWindowSeconds: 1e12 }, 'undoWindowSeconds'],
    ['undo window a string', { undoWindowSeconds: '300' }, 'undoWindowSeconds'],
    ['cap negative', { dailyReplyCap: -1 }, 'dailyReplyCap'],
    ['cap fractional', { dailyReplyCap: 1.5 }, 'dailyReplyCap'],
    ['topics not a list', { escalationTopics: 'refund' }, 'escalationTopics'],
    ['topic not an object', { escalationTopics: [1] }, 'escalationTopics'],
    [
      'topic name hostile',
      { escalationTopics: [{ topic: 'A B;', phrases: ['x y'] }] },
      'escalationTopics[0].topic',
    ],
    [
      'no phrases',
      { escalationTopics: [{ topic: 'x', phrases: [] }] },
      'escalationTopics[0].phrases',
    ],
    [
      'phrase not a string',
      { escalationTopics: [{ topic: 'x', phrases: [{}] }] },
      'escalationTopics[0].phrases',
    ],
    [
      'phrase huge',
      { escalationTopics: [{ topic: 'x', phrases: ['a'.repeat(81)] }] },
      'escalationTopics[0].phrases',
    ],
    [
      'unknown topic field',
      { escalationTopics: [{ topic: 'x', phrases: ['ab'], regex: '.*' }] },
      'escalationTopics[0].regex',
    ],
    [
      'too many topics',
      { escalationTopics: Array(31).fill({ topic: 'x', phrases: ['ab'] }) },
      'escalationTopics',
    ],
    ['floor above 1', { confidenceFloor: 2 }, 'confidenceFloor'],
    ['floor a string', { confidenceFloor: 'NaN' }, 'confidenceFloor'],
    ['hours a string', { businessHours: 'always' }, 'businessHours'],
    [
      'hours unknown zone',
      { businessHours: { timeZone: 'Mars/Olympus', days: [1], start: '09:00', end: '17:00' } },
      'businessHours.timeZone',
    ],
    [
      'hours bad day',
      { businessHours: { timeZone: 'UTC', days: [7], start: '09:00', end: '17:00' } },
      'businessHours.days',
    ],
    [
      'hours no days',
      { businessHours: { timeZone: 'UTC', days: [], start: '09:00', end: '17:00' } },
      'businessHours.days',
    ],
    [
      'hours bad time',
      { businessHours: { timeZone: 'UTC', days: [1], start: '25:00', end: '17:00' } },
      'businessHours.start',
    ],
    [
      'hours end before start',
      { businessHours: { timeZone: 'UTC', days: [1], start: '18:00', end: '09:00' } },
      'businessHours.end',
    ],
    [
      'hours missing end',
      { businessHours: { timeZone: 'UTC', days: [1], start: '09:00' } },
      'businessHours.end',
    ],
    [
      'hours extra field',
      { businessHours: { timeZone: 'UTC', days: [1], start: '09:00', end: '17:00', tz: 1 } },
      'businessHours.tz',
    ],
  ])(
    'hostile settings (%s): 400 validation_failed naming the field, nothing changed',
    async (_, body, field) => {
      const res = await call(t, 'PATCH', `/v1/mailboxes/${adele.mailboxId}/inbound`, {
        token,
        body,
      });
      expect(res.status).toBe(400);
      const error = res.json<{ error: { code: string; details: { field: string }[] } }>().error;
      expect(error.code).toBe('validation_failed');
      expect(error.details.map((d) => d.field)).toContainEqual(expect.stringContaining(field));
      const policy = await call(t, 'GET', `/v1/inbound/mailboxes/${adele.mailboxId}/reply-policy`, {
        token,
      });
      expect(policy.json()).toMatchObject({
        replyMode: 'send',
        dailyReplyCap: 50,
        businessHours: null,
      });
    },
  );
});
