import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ADELE } from '../../src/sandbox/seed.js';
import { rawCall, toRawJson } from '../support/fuzz/raw-call.js';
import { call, createSandboxApp, type Reply, type SandboxApp } from '../support/sandbox-app.js';
import { assign, connectMailbox, createProfile, type Ids } from '../support/sending.js';
import { authEnv, bearer } from '../support/tokens.js';

interface ErrorBody {
  error: { code: string; message: string; details: { field?: string; message: string }[] };
  requestId: string;
}

type Body = Record<string, unknown>;

/** Security review items 4 and 5: hostile strings and shapes answer 400, never 500. */
describe('hostile input (e2e against the emulator)', () => {
  let t: SandboxApp;
  let token: string;
  let mailbox: Ids;
  let profileId: string;

  beforeAll(async () => {
    t = await createSandboxApp(authEnv());
    token = await bearer({ sub: 'user-h', wid: 'ws-hostile' });
    mailbox = await connectMailbox(t, token, ADELE.id);
    profileId = await createProfile(t, token, { replyTo: 'replies@contoso.com' });
    await assign(t, token, mailbox.primaryIdentityId, profileId);
  });
  afterAll(() => t.close());

  /** What a hostile request could have left behind. */
  const stored = async () => ({
    workspaces: await t.db.prisma.workspace.findMany({ orderBy: { id: 'asc' } }),
    profiles: await t.db.prisma.senderProfile.findMany({ orderBy: { id: 'asc' } }),
    identities: await t.db.prisma.identity.findMany({ orderBy: { id: 'asc' } }),
    messages: await t.db.prisma.outboundMessage.count(),
  });

  const send = (method: string, path: string, body?: Body, tok = token) =>
    rawCall(t, method, path, { token: tok, raw: body && toRawJson(body) });
  const message = (body: Body) =>
    send('POST', '/v1/messages', {
      senderProfileId: profileId,
      to: ['lead@example.com'],
      subject: 'Hello',
      text: 'Hi',
      ...body,
    });
  const profilePath = () => `/v1/sender-profiles/${profileId}`;
  const sendAsPath = () => `/v1/mailboxes/${mailbox.mailboxId}/send-as`;
  const identityPath = () => `/v1/identities/${mailbox.primaryIdentityId}`;

  const expectRejected = (res: Reply, field: string) => {
    expect({ status: res.status, field }).toEqual({ status: 400, field });
    const body = res.json<ErrorBody>();
    expect(body.error.code).toBe('validation_failed');
    expect(body.requestId).toEqual(expect.any(String));
    expect(body.error.details.map((d) => d.field)).toContain(field);
  };

  /** Each case is sent and must be refused naming `field`; nothing may change in the database. */
  const expectAllRejected = async (cases: [() => Promise<Reply>, string][]) => {
    const before = await stored();
    for (const [request, field] of cases) expectRejected(await request(), field);
    expect(await stored()).toEqual(before);
  };

  it('issue 11.4: NUL in a stored string', async () => {
    const nul = 'a\u0000b';
    await expectAllRejected([
      [() => send('POST', '/v1/sender-profiles', { name: nul, fromName: 'Ann' }), 'name'],
      [() => send('POST', '/v1/sender-profiles', { name: 'P', fromName: nul }), 'fromName'],
      [
        () => send('POST', '/v1/sender-profiles', { name: 'P', fromName: 'A', replyTo: nul }),
        'replyTo',
      ],
      [() => send('PATCH', profilePath(), { name: nul }), 'name'],
      [() => send('PATCH', profilePath(), { replyTo: `x${nul}@contoso.com` }), 'replyTo'],
      [
        () => send('PATCH', identityPath(), { senderProfileId: profileId, displayName: nul }),
        'displayName',
      ],
      [
        () => send('POST', sendAsPath(), { email: 's@contoso.com', displayName: nul }),
        'displayName',
      ],
      [() => send('POST', sendAsPath(), { email: `s${nul}@contoso.com` }), 'email'],
      [() => message({ subject: nul }), 'subject'],
      [() => message({ text: nul }), 'text'],
      [() => message({ html: `<p>${nul}</p>` }), 'html'],
      [() => message({ to: [`lead${nul}@example.com`] }), 'to[0]'],
      [() => message({ to: [{ email: 'lead@example.com', name: nul }] }), 'to[0].name'],
      [() => message({ cc: ['a@example.com', { email: `b${nul}@example.com` }] }), 'cc[1].email'],
      [() => message({ 'sub\u0000ject': 'x' }), 'sub\\u0000ject'],
    ]);
  });

  it('lone surrogate in a recipient name', async () => {
    await expectAllRejected([
      [() => message({ to: [{ email: 'lead@example.com', name: 'Ann \ud800' }] }), 'to[0].name'],
      [() => message({ to: [{ email: 'lead@example.com', name: '\udc00Ann' }] }), 'to[0].name'],
      [
        () => message({ bcc: ['a@example.com', { email: 'b@example.com', name: '\ud83d' }] }),
        'bcc[1].name',
      ],
      [() => message({ subject: 'Hi \ud800' }), 'subject'],
      [
        () => send('POST', '/v1/sender-profiles', { name: 'P', fromName: 'Ann \udfff' }),
        'fromName',
      ],
    ]);
    const ok = await message({ to: [{ email: 'lead@example.com', name: 'Ann 😀 \u202eRTL' }] });
    expect(ok.status).toBe(202);
    await t.db.prisma.outboundMessage.deleteMany({});
  });

  it('wrong types as a recipient', async () => {
    await expectAllRejected([
      [() => message({ to: [{ email: 123 }] }), 'to[0].email'],
      [() => message({ to: [{ email: ['lead@example.com'] }] }), 'to[0].email'],
      [() => message({ to: [{ email: 'lead@example.com', name: 123 }] }), 'to[0].name'],
      [() => message({ to: [{ email: 'lead@example.com', name: {} }] }), 'to[0].name'],
      [() => message({ to: [{ name: 'Ann' }] }), 'to[0].email'],
      [() => message({ to: [123] }), 'to[0]'],
      [() => message({ to: [null] }), 'to[0]'],
      [() => message({ to: [['lead@example.com']] }), 'to[0]'],
      [() => message({ to: ['lead@example.com', true] }), 'to[1]'],
      [() => message({ cc: [{ email: 'a@example.com', admin: true }] }), 'cc[0].admin'],
      [() => message({ to: 'lead@example.com' }), 'to'],
      [() => message({ to: { email: 'lead@example.com' } }), 'to'],
      [() => message({ subject: ['Hello'] }), 'subject'],
      [() => send('POST', '/v1/sender-profiles', { name: { a: 1 }, fromName: 'A' }), 'name'],
    ]);
  });

  it('lone surrogate in an email field', async () => {
    await expectAllRejected([
      [
        () =>
          send('POST', '/v1/sender-profiles', {
            name: 'P',
            fromName: 'A',
            replyTo: 'r\ud800@contoso.com',
          }),
        'replyTo',
      ],
      [() => send('PATCH', profilePath(), { replyTo: 'r@contoso.com\udc00' }), 'replyTo'],
      [() => send('POST', sendAsPath(), { email: 'shared\ud800@contoso.com' }), 'email'],
      [() => message({ to: ['lead\ud800@example.com'] }), 'to[0]'],
      [() => message({ to: [{ email: 'lead@example.com\udbff' }] }), 'to[0].email'],
    ]);
  });

  it('wid claim with NUL or 10 kB', async () => {
    const claims = [
      { wid: 'ws\u0000x' },
      { wid: 'w'.repeat(10 * 1024) },
      { wid: 'w'.repeat(257) },
      { wid: 'ws\r\nx' },
      { wid: 'ws\ud800' },
      { sub: 'user\u0000' },
      { sub: 'u'.repeat(10 * 1024) },
    ];
    const before = await stored();
    for (const claim of claims) {
      const res = await send('GET', '/v1/mailboxes', undefined, await bearer(claim));
      expect({ claim: Object.keys(claim)[0], status: res.status }).toEqual({
        claim: Object.keys(claim)[0],
        status: 401,
      });
      expect(res.json<ErrorBody>().error.code).toBe('unauthenticated');
    }
    expect(await stored()).toEqual(before);
    const longest = await bearer({ wid: 'w'.repeat(256) });
    expect((await send('GET', '/v1/mailboxes', undefined, longest)).status).toBe(200);
  });

  it('NUL in ?cursor', async () => {
    await expectAllRejected([
      [() => send('GET', '/v1/sender-profiles?cursor=%00'), 'cursor'],
      [() => send('GET', '/v1/mailboxes?cursor=a%00b'), 'cursor'],
      [() => send('GET', '/v1/mailboxes?limit=%00'), 'limit'],
      [() => send('GET', '/v1/sender-profiles?cursor=%0D%0A'), 'cursor'],
      [() => send('GET', '/v1/sender-profiles/%00'), 'id'],
      [() => send('DELETE', `${profilePath()}?force=%00`), 'force'],
    ]);
  });

  it('CR/LF in header-bound fields', async () => {
    const crlf = 'Ann\r\nBcc: attacker@evil.test';
    await expectAllRejected([
      [() => message({ subject: `Hello\r\nBcc: attacker@evil.test` }), 'subject'],
      [() => message({ subject: 'Hello\tthere' }), 'subject'],
      [() => message({ subject: 'Hello\u2028there' }), 'subject'],
      [() => message({ to: [{ email: 'lead@example.com', name: crlf }] }), 'to[0].name'],
      [() => message({ to: [{ email: 'lead@example.com', name: 'Ann\u0085' }] }), 'to[0].name'],
      [() => message({ to: ['lead@example.com\r\n'] }), 'to[0]'],
      [() => message({ bcc: [{ email: 'lead@example.com\nx' }] }), 'bcc[0].email'],
      [() => send('POST', '/v1/sender-profiles', { name: 'P', fromName: crlf }), 'fromName'],
      [() => send('POST', '/v1/sender-profiles', { name: 'P\n', fromName: 'A' }), 'name'],
      [() => send('PATCH', profilePath(), { fromName: crlf }), 'fromName'],
      [
        () => send('PATCH', profilePath(), { replyTo: 'r@contoso.com\r\nBcc: x@evil.test' }),
        'replyTo',
      ],
      [
        () => send('POST', sendAsPath(), { email: 's@contoso.com', displayName: crlf }),
        'displayName',
      ],
      [
        () => send('PATCH', identityPath(), { senderProfileId: profileId, displayName: crlf }),
        'displayName',
      ],
      [
        () => send('POST', '/v1/microsoft/connect', { returnTo: 'http://frontend.test/\r\nx' }),
        'returnTo',
      ],
    ]);
    const profile = await call(t, 'GET', profilePath(), { token });
    expect(profile.json()).toMatchObject({
      fromName: 'Ann from Contoso',
      replyTo: 'replies@contoso.com',
    });
  });

  it('keeps tabs and line breaks in free text (text, html)', async () => {
    const res = await message({ text: 'Hi,\r\n\tthere\n', html: '<p>Hi</p>\r\n<p>\tthere</p>' });
    expect(res.status).toBe(202);
    const row = await t.db.prisma.outboundMessage.findUniqueOrThrow({
      where: { id: res.json<{ id: string }>().id },
    });
    expect(row.textBody).toBe('Hi,\r\n\tthere\n');
    expect((await message({ text: 'Hi\u0007' })).status).toBe(400);
  });
});
