import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { ADELE, CONTOSO_TENANT_ID, MEGAN } from '../../src/sandbox/seed.js';
import { call, createSandboxApp, type SandboxApp, sandboxToken } from '../support/sandbox-app.js';
import { assign, connectMailbox, createProfile, drain, type Ids } from '../support/sending.js';

interface MessageBody {
  id: string;
  status: string;
  attempts: number;
  identityId: string | null;
  fromEmail: string | null;
  errorCode: string | null;
  nextAttemptAt: string;
}

describe('sender profiles and sending (e2e against the emulator)', () => {
  let t: SandboxApp;
  let token: string;
  let adele: Ids;
  let megan: Ids;
  let profileId: string;

  beforeAll(async () => {
    t = await createSandboxApp();
    token = await sandboxToken(t, 'user-a', 'ws-send');
    adele = await connectMailbox(t, token, ADELE.id);
    megan = await connectMailbox(t, token, MEGAN.id);
    profileId = await createProfile(t, token);
    await assign(t, token, adele.primaryIdentityId, profileId);
    await assign(t, token, megan.primaryIdentityId, profileId);
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    t.emulator.control.clearFaults();
    await drain(t);
    await t.db.prisma.identity.updateMany({
      where: { id: { in: [adele.primaryIdentityId, megan.primaryIdentityId] } },
      data: { status: 'active', senderProfileId: profileId },
    });
  });

  const post = (body: Record<string, unknown>, key?: string) =>
    call(t, 'POST', '/v1/messages', {
      token,
      body: {
        senderProfileId: profileId,
        to: ['lead@example.com'],
        subject: 'Hello',
        text: 'Hi there',
        ...body,
      },
      ...(key ? { headers: { 'idempotency-key': key } } : {}),
    });
  const sentFrom = (since: Date) =>
    t.emulator.control.graph.sentMail({ since }).map((s) => `${s.from.address}|${s.from.name}`);

  it('four messages go out alternating between the two identities, with the profile display name', async () => {
    const since = new Date();
    const ids: string[] = [];
    for (let i = 0; i < 4; i += 1) {
      const res = await post({ subject: `Alternate ${i}` });
      expect(res.status).toBe(202);
      expect(res.json<MessageBody>().status).toBe('queued');
      ids.push(res.json<MessageBody>().id);
    }
    expect(t.emulator.control.graph.sentMail({ since })).toHaveLength(0);
    for (let i = 0; i < 4; i += 1) {
      await t.db.prisma.outboundMessage.updateMany({
        where: { id: { in: ids.slice(i + 1) } },
        data: { nextAttemptAt: new Date(Date.now() + 60_000) },
      });
      await drain(t);
      await t.db.prisma.outboundMessage.updateMany({
        where: { id: { in: ids.slice(i + 1) } },
        data: { nextAttemptAt: new Date() },
      });
    }
    const from = sentFrom(since);
    expect(from).toHaveLength(4);
    expect(new Set([from[0], from[2]]).size).toBe(1);
    expect(new Set([from[1], from[3]]).size).toBe(1);
    expect(from[0]).not.toBe(from[1]);
    expect(from.map((f) => f.split('|')[1])).toEqual(Array(4).fill('Ann from Contoso'));
    const got = (await call(t, 'GET', `/v1/messages/${ids[0]}`, { token })).json<MessageBody>();
    expect(got).toMatchObject({ status: 'sent', attempts: 1 });
    expect([adele.primaryIdentityId, megan.primaryIdentityId]).toContain(got.identityId);
  });

  it('one identity inactive → everything goes through the other; none active → 422 no_sendable_identity', async () => {
    await t.db.prisma.identity.update({
      where: { id: adele.primaryIdentityId },
      data: { status: 'inactive' },
    });
    const since = new Date();
    for (let i = 0; i < 3; i += 1)
      expect((await post({ subject: `Only Megan ${i}` })).status).toBe(202);
    await drain(t);
    expect(sentFrom(since).map((f) => f.split('|')[0])).toEqual(Array(3).fill(MEGAN.mail));

    await t.db.prisma.identity.update({
      where: { id: megan.primaryIdentityId },
      data: { status: 'inactive' },
    });
    const before = await t.db.prisma.outboundMessage.count();
    const res = await post({ subject: 'Nobody' });
    expect(res.status).toBe(422);
    expect(res.json<{ error: { code: string; message: string } }>().error).toMatchObject({
      code: 'no_sendable_identity',
      message: expect.stringContaining('Active'),
    });
    expect(await t.db.prisma.outboundMessage.count()).toBe(before);
  });

  it('ErrorSendAsDenied → the identity becomes send_as_denied and the message goes from another identity', async () => {
    const sendAs = await call(t, 'POST', `/v1/mailboxes/${adele.mailboxId}/send-as`, {
      token,
      body: { email: 'nobody-granted@contoso.com' },
    });
    const deniedId = sendAs.json<{ id: string }>().id;
    await assign(t, token, deniedId, profileId);
    await t.db.prisma.identity.update({
      where: { id: adele.primaryIdentityId },
      data: { status: 'inactive' },
    });
    // Make the Send As identity the least recently used, so it is tried first.
    const since = new Date();
    const res = await post({ subject: 'Denied first' });
    await drain(t);
    const message = (
      await call(t, 'GET', `/v1/messages/${res.json<MessageBody>().id}`, { token })
    ).json<MessageBody>();
    expect(message.status).toBe('sent');
    expect(message.fromEmail).toBe(MEGAN.mail);
    expect(sentFrom(since).map((f) => f.split('|')[0])).toEqual([MEGAN.mail]);
    const denied = await t.db.prisma.identity.findUniqueOrThrow({ where: { id: deniedId } });
    expect(denied.status).toBe('send_as_denied');
    await assign(t, token, deniedId, null);
  });

  it('429 with Retry-After → not retried before it; 5 consecutive 500s → failed with the error code', async () => {
    t.emulator.control.failNext({
      method: 'POST',
      path: '/v1.0/me/sendMail',
      status: 429,
      headers: { 'Retry-After': '120' },
      body: { error: { code: 'ApplicationThrottled', message: 'slow down' } },
    });
    const started = Date.now();
    const id = (await post({ subject: 'Throttled' })).json<MessageBody>().id;
    await drain(t);
    let message = (await call(t, 'GET', `/v1/messages/${id}`, { token })).json<MessageBody>();
    expect(message).toMatchObject({
      status: 'queued',
      attempts: 1,
      errorCode: 'graph_429_ApplicationThrottled',
    });
    expect(new Date(message.nextAttemptAt).getTime()).toBeGreaterThanOrEqual(started + 120_000);
    await drain(t);
    expect((await call(t, 'GET', `/v1/messages/${id}`, { token })).json<MessageBody>().status).toBe(
      'queued',
    );
    await t.db.prisma.outboundMessage.update({
      where: { id },
      data: { nextAttemptAt: new Date() },
    });
    await drain(t);
    expect(
      (await call(t, 'GET', `/v1/messages/${id}`, { token })).json<MessageBody>(),
    ).toMatchObject({ status: 'sent', attempts: 2 });

    t.emulator.control.failNext({
      method: 'POST',
      path: '/v1.0/me/sendMail',
      times: 5,
      status: 500,
      body: { error: { code: 'generalException', message: 'boom' } },
    });
    const failing = (await post({ subject: 'Doomed' })).json<MessageBody>().id;
    for (let i = 0; i < 6; i += 1) {
      await t.db.prisma.outboundMessage.update({
        where: { id: failing },
        data: { nextAttemptAt: new Date() },
      });
      await drain(t);
    }
    message = (await call(t, 'GET', `/v1/messages/${failing}`, { token })).json<MessageBody>();
    expect(message).toMatchObject({
      status: 'failed',
      attempts: 5,
      errorCode: 'graph_500_generalException',
    });
  });

  it('Idempotency-Key: a replay returns the original message; another body with the key → 409', async () => {
    const first = await post({ subject: 'Once' }, 'key-123');
    const again = await post({ subject: 'Once' }, 'key-123');
    expect(again.status).toBe(202);
    expect(again.json<MessageBody>().id).toBe(first.json<MessageBody>().id);
    const other = await post({ subject: 'Different' }, 'key-123');
    expect(other.status).toBe(409);
    expect(other.json<{ error: { code: string } }>().error.code).toBe('idempotency_key_reused');
    expect(await t.db.prisma.outboundMessage.count({ where: { idempotencyKey: 'key-123' } })).toBe(
      1,
    );
  });

  it('validation: 501 recipients, malformed addresses, empty subject or body, unknown or foreign profile → 4xx and nothing stored', async () => {
    const before = await t.db.prisma.outboundMessage.count();
    const many = Array.from({ length: 501 }, (_, i) => `r${i}@example.com`);
    const tooMany = await post({
      to: many.slice(0, 300),
      cc: many.slice(300, 450),
      bcc: many.slice(450),
    });
    expect(tooMany.status).toBe(422);
    expect(tooMany.json<{ error: { code: string } }>().error.code).toBe('too_many_recipients');
    const malformed = await post({ to: ['ok@example.com', 'not-an-address', { email: 'x@y' }] });
    expect(malformed.status).toBe(400);
    expect(
      malformed
        .json<{ error: { details: { field: string }[] } }>()
        .error.details.map((d) => d.field),
    ).toEqual(['to[1]', 'to[2]']);
    expect((await post({ subject: '' })).status).toBe(400);
    const noBody = await post({ text: undefined });
    expect(noBody.status).toBe(400);
    expect(noBody.json<{ error: { code: string } }>().error.code).toBe('validation_failed');
    const unknown = await post({ senderProfileId: '00000000-0000-4000-8000-000000000000' });
    expect(unknown.status).toBe(404);
    expect(unknown.json<{ error: { code: string } }>().error.code).toBe('sender_profile_not_found');
    const other = await sandboxToken(t, 'user-x', 'ws-foreign');
    const foreign = await call(t, 'POST', '/v1/messages', {
      token: other,
      body: { senderProfileId: profileId, to: ['a@b.co'], subject: 's', text: 't' },
    });
    expect(foreign.status).toBe(404);
    expect(await t.db.prisma.outboundMessage.count()).toBe(before);
  });

  it('another workspace cannot read a message (404); a profile with queued messages refuses deletion unless forced', async () => {
    const id = (await post({ subject: 'Private' })).json<MessageBody>().id;
    const other = await sandboxToken(t, 'user-x', 'ws-foreign');
    expect((await call(t, 'GET', `/v1/messages/${id}`, { token: other })).status).toBe(404);

    const spare = await createProfile(t, token, { name: 'Spare' });
    await assign(t, token, megan.primaryIdentityId, spare);
    const queued = (
      await call(t, 'POST', '/v1/messages', {
        token,
        body: { senderProfileId: spare, to: ['a@b.co'], subject: 's', text: 't' },
      })
    ).json<MessageBody>().id;
    const refused = await call(t, 'DELETE', `/v1/sender-profiles/${spare}`, { token });
    expect(refused.status).toBe(409);
    expect(refused.json<{ error: { code: string } }>().error.code).toBe('sender_profile_in_use');
    expect(
      (await call(t, 'DELETE', `/v1/sender-profiles/${spare}?force=true`, { token })).status,
    ).toBe(204);
    expect(
      (await call(t, 'GET', `/v1/messages/${queued}`, { token })).json<MessageBody>().status,
    ).toBe('cancelled');
    expect(
      (await t.db.prisma.identity.findUniqueOrThrow({ where: { id: megan.primaryIdentityId } }))
        .senderProfileId,
    ).toBeNull();
  });

  it('disconnecting the only mailbox of a profile cancels its queued messages', async () => {
    const user = t.emulator.control.addUser(CONTOSO_TENANT_ID, {
      displayName: 'Solo Sender',
      mail: 'solo.sender@contoso.com',
    });
    const solo = await connectMailbox(t, token, user.id);
    const soloProfile = await createProfile(t, token, { name: 'Solo' });
    await assign(t, token, solo.primaryIdentityId, soloProfile);
    const queued = await call(t, 'POST', '/v1/messages', {
      token,
      body: { senderProfileId: soloProfile, to: ['a@b.co'], subject: 'Later', text: 't' },
    });
    const id = queued.json<MessageBody>().id;
    await t.db.prisma.outboundMessage.update({
      where: { id },
      data: { nextAttemptAt: new Date(Date.now() + 3600_000) },
    });
    expect((await call(t, 'DELETE', `/v1/mailboxes/${solo.mailboxId}`, { token })).status).toBe(
      204,
    );
    await drain(t);
    expect(
      (await call(t, 'GET', `/v1/messages/${id}`, { token })).json<MessageBody>(),
    ).toMatchObject({ status: 'cancelled', errorCode: 'mailbox_disconnected' });
  });

  it('a suspended workspace sends nothing; its queue goes out once it is reactivated', async () => {
    const queued = await call(t, 'POST', '/v1/messages', {
      token,
      body: { senderProfileId: profileId, to: ['a@b.co'], subject: 'Suspended', text: 't' },
    });
    const id = queued.json<MessageBody>().id;
    const { workspaceId } = await t.db.prisma.outboundMessage.findUniqueOrThrow({ where: { id } });
    await t.db.prisma.workspace.update({
      where: { id: workspaceId },
      data: { status: 'suspended' },
    });
    await drain(t);
    const row = await t.db.prisma.outboundMessage.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: 'queued', attempts: 0 });
    await t.db.prisma.workspace.update({ where: { id: workspaceId }, data: { status: 'active' } });
    await drain(t);
    expect((await t.db.prisma.outboundMessage.findUniqueOrThrow({ where: { id } })).status).toBe(
      'sent',
    );
  });

  it('a message waiting for a mailbox that needs re-auth goes as soon as the mailbox is reconnected', async () => {
    const user = t.emulator.control.addUser(CONTOSO_TENANT_ID, {
      displayName: 'Comeback',
      mail: 'comeback@contoso.com',
    });
    const box = await connectMailbox(t, token, user.id);
    const profile = await createProfile(t, token, { name: 'Comeback' });
    await assign(t, token, box.primaryIdentityId, profile);
    const id = (
      await call(t, 'POST', '/v1/messages', {
        token,
        body: { senderProfileId: profile, to: ['a@b.co'], subject: 'Comeback', text: 't' },
      })
    ).json<MessageBody>().id;
    await t.db.prisma.mailbox.update({
      where: { id: box.mailboxId },
      data: { status: 'needs_reauth', statusReason: 'invalid_grant' },
    });
    await drain(t);
    const waiting = await t.db.prisma.outboundMessage.findUniqueOrThrow({ where: { id } });
    expect(waiting).toMatchObject({ status: 'queued', errorCode: 'mailboxes_need_reauth' });
    expect(waiting.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + 30_000);
    await connectMailbox(t, token, user.id); // reconnect: mailbox.connected
    await drain(t); // delivers the event, which makes the message due now
    await drain(t);
    expect((await t.db.prisma.outboundMessage.findUniqueOrThrow({ where: { id } })).status).toBe(
      'sent',
    );
  });

  it('disconnecting one mailbox keeps the queue of a profile whose other mailbox only needs re-auth', async () => {
    const users = ['Pair One', 'Pair Two'].map((displayName, i) =>
      t.emulator.control.addUser(CONTOSO_TENANT_ID, {
        displayName,
        mail: `pair.${i}@contoso.com`,
      }),
    );
    const [one, two] = [
      await connectMailbox(t, token, users[0].id),
      await connectMailbox(t, token, users[1].id),
    ];
    const pair = await createProfile(t, token, { name: 'Pair' });
    await assign(t, token, one.primaryIdentityId, pair);
    await assign(t, token, two.primaryIdentityId, pair);
    await t.db.prisma.mailbox.update({
      where: { id: two.mailboxId },
      data: { status: 'needs_reauth', statusReason: 'invalid_grant' },
    });
    const queued = await call(t, 'POST', '/v1/messages', {
      token,
      body: { senderProfileId: pair, to: ['a@b.co'], subject: 'Waits', text: 't' },
    });
    const id = queued.json<MessageBody>().id;
    await t.db.prisma.outboundMessage.update({
      where: { id },
      data: { nextAttemptAt: new Date(Date.now() + 3600_000) },
    });
    expect((await call(t, 'DELETE', `/v1/mailboxes/${one.mailboxId}`, { token })).status).toBe(204);
    await drain(t);
    // The mailbox that needs re-auth is still connected: reconnecting it sends the message.
    expect((await call(t, 'GET', `/v1/messages/${id}`, { token })).json<MessageBody>().status).toBe(
      'queued',
    );
  });

  it('a mailbox needing re-authentication is skipped, and the profile replyTo is set on the message', async () => {
    const patched = await call(t, 'PATCH', `/v1/sender-profiles/${profileId}`, {
      token,
      body: { replyTo: 'replies@contoso.com' },
    });
    expect(patched.status).toBe(200);
    await t.db.prisma.mailbox.update({
      where: { id: adele.mailboxId },
      data: { status: 'needs_reauth' },
    });
    const since = new Date();
    for (let i = 0; i < 2; i += 1)
      expect((await post({ subject: `Skip Adele ${i}` })).status).toBe(202);
    await drain(t);
    const sent = t.emulator.control.graph.sentMail({ since });
    expect(sent.map((s) => s.from.address)).toEqual([MEGAN.mail, MEGAN.mail]);
    expect(
      sent.every((s) => s.replyTo.map((r) => r.address).join() === 'replies@contoso.com'),
    ).toBe(true);
    await t.db.prisma.mailbox.update({
      where: { id: adele.mailboxId },
      data: { status: 'active' },
    });
  });
});
