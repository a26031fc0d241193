import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ADELE } from '../../src/sandbox/seed.js';
import { inboundFixture } from '../support/inbound-fixtures.js';
import { inboundItems, runInbound, setInbound } from '../support/inbound.js';
import { call, createSandboxApp, type SandboxApp, sandboxToken } from '../support/sandbox-app.js';
import { assign, connectMailbox, createProfile, drain, type Ids } from '../support/sending.js';

interface Suppression {
  id: string;
  email: string;
  reason: string;
  source: string;
  note: string | null;
}
interface Message {
  id: string;
  status: string;
  recipientCount: number;
  errorCode: string | null;
  suppressedRecipients: { email: string; field: string; reason: string }[];
}

describe('guard rails: suppression list (e2e)', () => {
  let t: SandboxApp;
  let token: string;
  let other: string;
  let adele: Ids;
  let profileId: string;

  beforeAll(async () => {
    t = await createSandboxApp({ INBOUND_DELIVERY: 'polling' });
    token = await sandboxToken(t, 'user-a', 'ws-guard');
    other = await sandboxToken(t, 'user-b', 'ws-other');
    adele = await connectMailbox(t, token, ADELE.id);
    profileId = await createProfile(t, token);
    await assign(t, token, adele.primaryIdentityId, profileId);
    await setInbound(t, token, adele.mailboxId, {
      enabled: true,
      purpose: 'general',
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

  const send = (to: string[], cc: string[] = []) =>
    call(t, 'POST', '/v1/messages', {
      token,
      body: { senderProfileId: profileId, to, cc, subject: 'Intro', text: 'Hello' },
    });
  const suppressions = async (as = token) =>
    (await call(t, 'GET', '/v1/suppressions', { token: as })).json<{ items: Suppression[] }>()
      .items;
  const sentTo = (since: Date) =>
    t.emulator.control.graph
      .sentMail({ mailbox: ADELE.mail, since })
      .map((s) => [...s.toRecipients, ...s.ccRecipients].map((r) => r.address).join(','));

  it('an address added through the API is left out of a new message, with a per-recipient answer; none left is 422', async () => {
    const added = await call(t, 'POST', '/v1/suppressions', {
      token,
      body: { email: 'Blocked@Example.com', note: 'asked by phone' },
    });
    expect(added.status).toBe(201);
    const row = added.json<Suppression>();
    expect(row).toMatchObject({ email: 'blocked@example.com', reason: 'manual', source: 'api' });
    const again = await call(t, 'POST', '/v1/suppressions', {
      token,
      body: { email: 'blocked@example.com' },
    });
    expect(again.status).toBe(200);
    expect(again.json<Suppression>().id).toBe(row.id);

    const since = new Date();
    const res = await send(['blocked@example.com', 'ok@example.com'], ['BLOCKED@example.com']);
    expect(res.status).toBe(202);
    const message = res.json<Message>();
    expect(message.recipientCount).toBe(1);
    expect(message.suppressedRecipients).toEqual([
      { email: 'blocked@example.com', field: 'to', reason: 'manual' },
      { email: 'blocked@example.com', field: 'cc', reason: 'manual' },
    ]);
    await drain(t);
    expect(sentTo(since)).toEqual(['ok@example.com']);

    const refused = await send(['blocked@example.com']);
    expect(refused.status).toBe(422);
    expect(refused.json()).toMatchObject({
      error: {
        code: 'all_recipients_suppressed',
        details: [{ field: 'to', message: 'blocked@example.com is suppressed (manual)' }],
      },
    });
    const audit = await t.db.prisma.auditLog.count({
      where: { action: 'outbound.suppression_added', targetId: row.id },
    });
    expect(audit).toBe(1);
  });

  it('suppressions are workspace-scoped: not listed, not removable (404) and not applied elsewhere', async () => {
    const [row] = (await suppressions()).filter((s) => s.email === 'blocked@example.com');
    expect((await suppressions(other)).map((s) => s.email)).not.toContain('blocked@example.com');
    const elsewhere = await call(t, 'DELETE', `/v1/suppressions/${row.id}`, { token: other });
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.json()).toMatchObject({ error: { code: 'suppression_not_found' } });
    expect((await call(t, 'DELETE', '/v1/suppressions/not-a-uuid', { token })).status).toBe(404);
    expect((await call(t, 'DELETE', `/v1/suppressions/${row.id}`, { token })).status).toBe(204);
    expect((await call(t, 'DELETE', `/v1/suppressions/${row.id}`, { token })).status).toBe(404);
    const res = await send(['blocked@example.com']);
    expect(res.status).toBe(202);
    expect(res.json<Message>().suppressedRecipients).toEqual([]);
    await drain(t);
  });

  it('an address suppressed while its message waits in the queue never receives it', async () => {
    const since = new Date();
    const partly = (await send(['later@example.com', 'keep@example.com'])).json<Message>();
    const only = (await send(['later@example.com'])).json<Message>();
    await call(t, 'POST', '/v1/suppressions', { token, body: { email: 'later@example.com' } });
    // Another workspace's list is not this one's (the queue reads a batch's entries at once).
    await call(t, 'POST', '/v1/suppressions', {
      token: other,
      body: { email: 'keep@example.com' },
    });
    await drain(t);
    expect(sentTo(since)).toEqual(['keep@example.com']);
    const get = async (id: string) =>
      (await call(t, 'GET', `/v1/messages/${id}`, { token })).json<Message>();
    expect(await get(partly.id)).toMatchObject({
      status: 'sent',
      recipientCount: 1,
      suppressedRecipients: [{ email: 'later@example.com', field: 'to', reason: 'manual' }],
    });
    expect(await get(only.id)).toMatchObject({
      status: 'cancelled',
      errorCode: 'all_recipients_suppressed',
    });
  });

  it('a hard bounce delivered to the inbound mailbox puts the recipient on the list; the next message to it is refused', async () => {
    t.emulator.control.graph.injectRaw(
      ADELE.mail,
      inboundFixture('loop', 'bounce-exchange-ndr.eml', ADELE.mail),
    );
    await runInbound(t);
    const row = (await suppressions()).find((s) => s.email === 'nobody@fabrikam.example');
    expect(row).toMatchObject({ reason: 'hard_bounce' });
    expect(row?.source).toMatch(/^inbound:/);
    const refused = await send(['nobody@fabrikam.example']);
    expect(refused.json()).toMatchObject({ error: { code: 'all_recipients_suppressed' } });
    const receipt = inboundFixture('loop', 'read-receipt-mdn.eml', ADELE.mail);
    t.emulator.control.graph.injectRaw(ADELE.mail, receipt);
    await runInbound(t);
    expect((await suppressions()).filter((s) => s.reason === 'hard_bounce')).toHaveLength(1);
  });

  it('an "unsubscribe" reply gets no AI reply and puts its sender on the list', async () => {
    const since = new Date();
    const inbound = t.emulator.control.graph.injectInbound({
      mailbox: ADELE.mail,
      from: { address: 'prospect@buyer.example', name: 'Pat Prospect' },
      subject: 'Re: Intro',
      body: 'Please unsubscribe me, thanks.',
    });
    await runInbound(t);
    expect(sentTo(since)).toEqual([]);
    const item = (await inboundItems(t, token, adele.mailboxId)).find(
      (i) => i.graphMessageId === inbound.id,
    );
    expect(item).toMatchObject({ action: 'triaged', reason: 'opt_out:unsubscribe' });
    const row = (await suppressions()).find((s) => s.email === 'prospect@buyer.example');
    expect(row).toMatchObject({ reason: 'unsubscribe', source: `inbound:${item?.id}` });
    expect((await send(['prospect@buyer.example'])).status).toBe(422);
  });
});
