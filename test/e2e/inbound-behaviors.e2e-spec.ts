import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { TestClock } from '../../src/common/time/clock.js';
import { SentDetailsJob } from '../../src/modules/outbound/sent-details.job.js';
import { ADELE, MEGAN } from '../../src/sandbox/seed.js';
import { inboundFixture } from '../support/inbound-fixtures.js';
import { inboundItems, runInbound, setInbound } from '../support/inbound.js';
import { call, createSandboxApp, type SandboxApp, sandboxToken } from '../support/sandbox-app.js';
import { assign, connectMailbox, createProfile, drain, type Ids } from '../support/sending.js';

describe('inbound AI per behavior (e2e, delta polling, rules provider)', () => {
  let t: SandboxApp;
  let token: string;
  let adele: Ids;
  let megan: Ids;
  const clock = new TestClock();

  beforeAll(async () => {
    t = await createSandboxApp(
      {
        INBOUND_DELIVERY: 'polling',
        OUTBOUND_SENT_ITEMS_SETTLE_MS: '500',
        // One Sent Items lookup per sent message: a copy not there is given up at once.
        OUTBOUND_SENT_DETAILS_MAX_ATTEMPTS: '1',
      },
      { clock },
    );
    token = await sandboxToken(t, 'user-a', 'ws-inbound');
    adele = await connectMailbox(t, token, ADELE.id);
    megan = await connectMailbox(t, token, MEGAN.id);
  });
  afterAll(() => t.close());
  beforeEach(() => runInbound(t));

  const deliver = (mailbox: string, name: string, folder: 'human' | 'loop' = 'human') =>
    t.emulator.control.graph.injectRaw(mailbox, inboundFixture(folder, name, mailbox));
  const replies = (since: Date, mailbox: string = ADELE.mail) =>
    t.emulator.control.graph.sentMail({ mailbox, since }).filter((s) => s.operation === 'send');

  it('PATCH /v1/mailboxes/:id/inbound answers the Mailbox; bad values 400; another workspace 404', async () => {
    const res = await call(t, 'PATCH', `/v1/mailboxes/${adele.mailboxId}/inbound`, {
      token,
      body: { enabled: true, purpose: 'new_business', behavior: 'full_auto' },
    });
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({
      id: adele.mailboxId,
      inbound: { enabled: true, purpose: 'new_business', behavior: 'full_auto' },
      identities: expect.arrayContaining([expect.objectContaining({ type: 'primary' })]),
    });
    const bad = await call(t, 'PATCH', `/v1/mailboxes/${adele.mailboxId}/inbound`, {
      token,
      body: { behavior: 'always' },
    });
    expect(bad.status).toBe(400);
    expect(bad.json<{ error: { code: string } }>().error.code).toBe('validation_failed');
    const other = await sandboxToken(t, 'user-b', 'ws-other');
    const foreign = await call(t, 'PATCH', `/v1/mailboxes/${adele.mailboxId}/inbound`, {
      token: other,
      body: { enabled: false },
    });
    expect(foreign.status).toBe(404);
    const row = await t.db.prisma.inboundSubscription.findUniqueOrThrow({
      where: { mailboxId: adele.mailboxId },
    });
    expect(row).toMatchObject({ state: 'active', mode: 'polling' });
  });

  it('full_auto: replies once, in-thread, to a human message; routes it; lists it as replied', async () => {
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
    const since = new Date();
    const original = deliver(ADELE.mail, 'lead.eml');
    await runInbound(t);
    await runInbound(t);
    const sent = replies(since);
    expect(sent).toHaveLength(1);
    expect(sent[0].toRecipients.map((r) => r.address)).toEqual(['dana@prospect.example']);
    expect(sent[0].ccRecipients).toEqual([]);
    expect(sent[0].conversationId).toBe(original.conversationId);
    const header = (name: string) =>
      sent[0].internetMessageHeaders.find((h) => h.name === name)?.value;
    expect(header('In-Reply-To')).toBe(original.internetMessageId);
    expect(header('X-ScendCore-AI-Reply')).toBe('1');
    expect(sent[0].body.content).toContain('Hi Dana,');
    const routed = t.emulator.control.graph.message(ADELE.mail, original.id);
    expect(routed.categories).toEqual(['AI: Lead']);
    expect(routed.flag).toEqual({ flagStatus: 'flagged' });
    const [item] = (await inboundItems(t, token, adele.mailboxId)).filter(
      (i) => i.graphMessageId === original.id,
    );
    expect(item).toMatchObject({
      category: 'lead',
      action: 'replied',
      provider: 'rules',
      status: 'done',
    });
    expect(item.summary).toContain('Pricing for 50 seats');
    expect(item.replyMessageId).toBeTruthy();
    const reply = await call(t, 'GET', `/v1/messages/${item.replyMessageId}`, { token });
    expect(reply.json()).toMatchObject({ status: 'sent' });
  });

  /**
   * Megan on reply_only, sending replies at once, and a message the product sent from her to
   * `who` (drained): its id and the Sent Items copy Exchange made of it.
   */
  async function replyOnlyOutreach(profileName: string, who: string, subject: string) {
    await setInbound(t, token, megan.mailboxId, {
      enabled: true,
      purpose: 'support',
      behavior: 'reply_only',
      // The send path under test: replies go out at once (review and delayed modes:
      // inbound-reply-modes).
      // No escalation topics, or price questions in the fixtures would be escalated
      // (escalation: inbound-escalation).
      replyMode: 'send',
      escalationTopics: [],
    });
    const profileId = await createProfile(t, token, { name: profileName });
    await assign(t, token, megan.primaryIdentityId, profileId);
    const res = await call(t, 'POST', '/v1/messages', {
      token,
      body: {
        senderProfileId: profileId,
        to: [`${who}@customer.example`],
        subject,
        text: 'We are on it.',
      },
    });
    expect(res.status).toBe(202);
    await drain(t);
    const [outreach] = t.emulator.control.graph
      .sentMail({ mailbox: MEGAN.mail })
      .filter((s) => s.subject === subject);
    return { id: res.json<{ id: string }>().id, outreach };
  }

  /** `who` answering the outreach in its thread. */
  const answerTo = (
    outreach: { subject: string; internetMessageId: string },
    who: string,
    name: string,
  ) =>
    t.emulator.control.graph.injectInbound({
      mailbox: MEGAN.mail,
      from: { address: `${who}@customer.example`, name },
      subject: `RE: ${outreach.subject}`,
      body: 'Thanks! It still shows an error when I log in. Can you help?',
      inReplyTo: outreach.internetMessageId,
    });

  it('reply_only: answers a reply to a message the product sent, not a fresh message', async () => {
    const { outreach } = await replyOnlyOutreach('Megan only', 'lee', 'Your ticket');
    await runInbound(t);
    const since = new Date();
    const answer = answerTo(outreach, 'lee', 'Lee Customer');
    const fresh = deliver(MEGAN.mail, 'support-question.eml');
    await runInbound(t);
    // The outreach's ids are not stored yet (the outbound sent-details job reads its Sent Items
    // copy once Exchange filed it): the answer waits instead of being judged not ours.
    expect(replies(since, MEGAN.mail)).toHaveLength(0);
    const waiting = await inboundItems(t, token, megan.mailboxId);
    expect(waiting.find((i) => i.graphMessageId === answer.id)).toMatchObject({
      status: 'pending',
      reason: 'waiting_for_sent_details',
    });
    await new Promise((r) => setTimeout(r, 600));
    expect((await t.app.get(SentDetailsJob).sweep()).stored).toBeGreaterThanOrEqual(1);
    clock.advance(31_000);
    await runInbound(t);
    await runInbound(t);
    const sent = replies(since, MEGAN.mail);
    expect(sent).toHaveLength(1);
    expect(sent[0].conversationId).toBe(answer.conversationId);
    const items = await inboundItems(t, token, megan.mailboxId);
    expect(items.find((i) => i.graphMessageId === answer.id)).toMatchObject({ action: 'replied' });
    expect(items.find((i) => i.graphMessageId === fresh.id)).toMatchObject({
      action: 'triaged',
      reason: 'thread_not_owned',
      category: 'support_request',
    });
  });

  it('reply_only: when the ids of our message are given up, a reply waiting for them is decided (not owned, no reply)', async () => {
    const { id, outreach } = await replyOnlyOutreach('Megan lost copy', 'kim', 'Lost copy');
    // Its Sent Items copy disappears before the sent-details job reads it.
    const { marker } = await t.db.prisma.outboundMessage.findUniqueOrThrow({
      where: { id },
    });
    const copy = t.emulator.control.graph
      .messages(MEGAN.mail, 'sentitems')
      .find((m) => (m.singleValueExtendedProperties ?? []).some((p) => p.value === marker));
    expect(t.emulator.control.graph.deleteMessage(MEGAN.mail, copy!.id)).toBe(true);
    await runInbound(t);
    const since = new Date();
    const answer = answerTo(outreach, 'kim', 'Kim Customer');
    await runInbound(t);
    const itemOf = async () =>
      (await inboundItems(t, token, megan.mailboxId)).find((i) => i.graphMessageId === answer.id);
    expect(await itemOf()).toMatchObject({ status: 'pending', reason: 'waiting_for_sent_details' });
    await new Promise((r) => setTimeout(r, 600));
    expect((await t.app.get(SentDetailsJob).sweep()).gave_up).toBeGreaterThanOrEqual(1);
    clock.advance(31_000);
    await runInbound(t);
    expect(await itemOf()).toMatchObject({ action: 'triaged', reason: 'thread_not_owned' });
    expect(replies(since, MEGAN.mail)).toHaveLength(0);
  });

  it('triage_only: categorises and flags, never replies', async () => {
    await setInbound(t, token, adele.mailboxId, {
      enabled: true,
      purpose: 'support',
      behavior: 'triage_only',
    });
    const since = new Date();
    const message = deliver(ADELE.mail, 'support-question.eml');
    await runInbound(t);
    expect(replies(since)).toHaveLength(0);
    expect(t.emulator.control.graph.message(ADELE.mail, message.id)).toMatchObject({
      categories: ['AI: Support'],
      flag: { flagStatus: 'flagged' },
    });
    const item = (await inboundItems(t, token, adele.mailboxId)).find(
      (i) => i.graphMessageId === message.id,
    );
    expect(item).toMatchObject({
      category: 'support_request',
      action: 'triaged',
      reason: 'behavior_triage_only',
    });
  });

  it('disabled and inbound off do nothing: no rows, no categories, no replies; the subscription row stops', async () => {
    for (const body of [
      { enabled: true, behavior: 'disabled' },
      { enabled: false, behavior: 'full_auto' },
    ]) {
      await setInbound(t, token, adele.mailboxId, body);
      expect(
        (
          await t.db.prisma.inboundSubscription.findUniqueOrThrow({
            where: { mailboxId: adele.mailboxId },
          })
        ).state,
      ).toBe('stopped');
      const since = new Date();
      const message = deliver(ADELE.mail, 'lead.eml');
      await runInbound(t);
      expect(replies(since)).toHaveLength(0);
      expect(t.emulator.control.graph.message(ADELE.mail, message.id).categories ?? []).toEqual([]);
      expect(
        await t.db.prisma.inboundMessage.count({ where: { graphMessageId: message.id } }),
      ).toBe(0);
    }
  });

  it('enabling does not answer mail that arrived before it', async () => {
    const before = deliver(ADELE.mail, 'lead.eml');
    await new Promise((r) => setTimeout(r, 20));
    await setInbound(t, token, adele.mailboxId, { enabled: true, behavior: 'full_auto' });
    await runInbound(t);
    expect(await t.db.prisma.inboundMessage.count({ where: { graphMessageId: before.id } })).toBe(
      0,
    );
  });
});
