import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ADELE } from '../../src/sandbox/seed.js';
import { inboundFixture } from '../support/inbound-fixtures.js';
import { inboundItems, runInbound, setInbound } from '../support/inbound.js';
import { call, createSandboxApp, type SandboxApp, sandboxToken } from '../support/sandbox-app.js';
import { assign, connectMailbox, createProfile, drain, type Ids } from '../support/sending.js';

describe('AI replies count against the per-mailbox sending limits (e2e)', () => {
  let t: SandboxApp;
  let token: string;
  let adele: Ids;
  let profileId: string;

  beforeAll(async () => {
    t = await createSandboxApp({
      INBOUND_DELIVERY: 'polling',
      OUTBOUND_MAILBOX_MESSAGES_PER_WINDOW: '1',
      OUTBOUND_MAILBOX_WINDOW_MS: '60000',
    });
    token = await sandboxToken(t, 'user-a', 'ws-limits');
    adele = await connectMailbox(t, token, ADELE.id);
    profileId = await createProfile(t, token);
    await assign(t, token, adele.primaryIdentityId, profileId);
    await setInbound(t, token, adele.mailboxId, {
      enabled: true,
      behavior: 'full_auto',
      purpose: 'new_business',
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

  const replies = (since: Date) =>
    t.emulator.control.graph
      .sentMail({ mailbox: ADELE.mail, since })
      .filter((s) => s.operation === 'send');
  const ageSends = () =>
    t.db.prisma
      .$executeRaw`UPDATE outbound_message SET sending_started_at = now() - interval '5 minutes'`;

  it('an outreach send fills the window: the reply waits; once the window frees it goes out', async () => {
    const sent = await call(t, 'POST', '/v1/messages', {
      token,
      body: { senderProfileId: profileId, to: ['x@example.com'], subject: 'Outreach', text: 'Hi' },
    });
    expect(sent.status).toBe(202);
    await drain(t);
    const since = new Date();
    const message = t.emulator.control.graph.injectRaw(
      ADELE.mail,
      inboundFixture('human', 'lead.eml', ADELE.mail),
    );
    await runInbound(t);
    expect(replies(since)).toHaveLength(0);
    const waiting = (await inboundItems(t, token, adele.mailboxId)).find(
      (i) => i.graphMessageId === message.id,
    );
    expect(waiting).toMatchObject({ status: 'processing', reason: 'waiting_for_mailbox_limit' });
    await ageSends();
    await t.db.prisma.inboundMessage.updateMany({ data: { nextAttemptAt: new Date(0) } });
    await runInbound(t);
    expect(replies(since)).toHaveLength(1);
  });

  it('a reply takes the slot: the next outreach send is deferred until the window frees', async () => {
    await ageSends();
    const since = new Date();
    t.emulator.control.graph.injectRaw(
      ADELE.mail,
      inboundFixture('human', 'support-question.eml', ADELE.mail),
    );
    await runInbound(t);
    expect(replies(since)).toHaveLength(1);
    const res = await call(t, 'POST', '/v1/messages', {
      token,
      body: {
        senderProfileId: profileId,
        to: ['y@example.com'],
        subject: 'Second outreach',
        text: 'Hi',
      },
    });
    await drain(t);
    const message = await call(t, 'GET', `/v1/messages/${res.json<{ id: string }>().id}`, {
      token,
    });
    expect(message.json()).toMatchObject({ status: 'queued' });
    expect(t.emulator.control.graph.sentMail({ since }).map((s) => s.subject)).not.toContain(
      'Second outreach',
    );
  });
});
