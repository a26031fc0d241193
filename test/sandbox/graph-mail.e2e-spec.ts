import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { Agent } from 'undici';
import { ADELE, MEGAN, SUPPORT_MAILBOX } from '../../src/sandbox/seed.js';
import { graphClientFor } from './support/graph-sdk.js';
import {
  appToken,
  graphCaller,
  MAIL_SCOPES,
  startGraphWorld,
  userToken,
  type GraphCaller,
  type GraphWorld,
} from './support/graph-world.js';

interface Message {
  id: string;
  subject: string;
  conversationId: string;
  internetMessageId: string;
  parentFolderId: string;
  from: { emailAddress: { address: string; name: string } };
  sender: { emailAddress: { address: string } };
  internetMessageHeaders?: Array<{ name: string; value: string }>;
}

const to = (...addresses: string[]) => addresses.map((address) => ({ emailAddress: { address } }));

describe('Graph emulator: sendMail, Send As, messages, replies', () => {
  let world: GraphWorld;
  let adele: GraphCaller;
  let megan: GraphCaller;
  const agents: Agent[] = [];

  beforeAll(async () => {
    world = await startGraphWorld();
    adele = graphCaller(
      world.http,
      await userToken(world, ADELE.id, [...MAIL_SCOPES, 'Mail.Send.Shared']),
    );
    megan = graphCaller(world.http, await userToken(world, MEGAN.id));
  });

  afterAll(async () => {
    await Promise.all(agents.map((a) => a.close()));
    await world.close();
  });

  beforeEach(() => {
    world.emulator.control.graph.configure({ maxRecipientsPerMessage: 500 });
  });

  const inbox = async (caller: GraphCaller, query = '') =>
    (await caller.get(`/v1.0/me/mailFolders/inbox/messages${query}`)).json<{ value: Message[] }>()
      .value;

  it('delivers to inboxes (alias, any case) and Sent Items with Exchange-like ids and headers', async () => {
    const send = await adele.post('/v1.0/me/sendMail', {
      message: {
        subject: 'Quarterly numbers',
        body: { contentType: 'HTML', content: '<p>Hi Megan</p>' },
        toRecipients: to('MEGAN.BOWEN@contoso.com', 'someone@example.org'),
        internetMessageHeaders: [{ name: 'X-Scendcore-Marker', value: 'mk-1' }],
      },
    });
    expect(send.status).toBe(202);
    expect(send.text).toBe('');
    const [received] = await inbox(
      megan,
      "?$filter=subject eq 'Quarterly numbers'&$select=subject,conversationId,internetMessageId,internetMessageHeaders,from",
    );
    expect(received.from.emailAddress.address).toBe(ADELE.mail);
    expect(received.internetMessageId).toMatch(
      /^<[A-Z0-9]+@[A-Z0-9]+\.namprd\d+\.prod\.outlook\.com>$/,
    );
    const header = (name: string) =>
      received.internetMessageHeaders?.find((h) => h.name === name)?.value;
    expect(header('X-Scendcore-Marker')).toBe('mk-1');
    expect(header('Message-ID')).toBe(received.internetMessageId);
    const sent = (
      await adele.get(
        `/v1.0/me/mailFolders/sentitems/messages?$filter=internetMessageId eq '${received.internetMessageId}'`,
      )
    ).json<{ value: Message[] }>().value;
    expect(sent).toHaveLength(1);
    expect(sent[0].conversationId).toBe(received.conversationId);
    expect(sent[0].parentFolderId).toBe('sentitems');
    const log = world.emulator.control.graph.sentMail({ mailbox: ADELE.mail });
    expect(log.at(-1)).toMatchObject({
      operation: 'sendMail',
      mailboxId: ADELE.id,
      from: { address: ADELE.mail },
      internetMessageId: received.internetMessageId,
      deliveredTo: [
        { address: 'MEGAN.BOWEN@contoso.com', userId: MEGAN.id, messageId: expect.any(String) },
      ],
      externalRecipients: ['someone@example.org'],
      sentItemId: sent[0].id,
    });
  });

  it('returns internetMessageHeaders only when selected, and echoes Prefer IdType', async () => {
    const [first] = await inbox(megan, '?$top=1');
    expect(first).not.toHaveProperty('internetMessageHeaders');
    const one = await megan.get(`/v1.0/me/messages/${first.id}?$select=internetMessageHeaders`, {
      Prefer: 'IdType="ImmutableId"',
    });
    expect(one.headers['preference-applied']).toBe('IdType="ImmutableId"');
    const body = one.json<Message>();
    expect(body.id).toBe(first.id);
    expect(body.internetMessageHeaders?.length).toBeGreaterThan(3);
    expect(body).not.toHaveProperty('subject');
  });

  it('lets a mailbox send from its own alias and honours saveToSentItems=false', async () => {
    const before = world.emulator.control.graph.messages(ADELE.id, 'sentitems').length;
    const res = await adele.post('/v1.0/me/sendMail', {
      message: {
        subject: 'From my alias',
        toRecipients: to(MEGAN.mail),
        from: { emailAddress: { address: 'av@sales.contoso.com' } },
      },
      saveToSentItems: false,
    });
    expect(res.status).toBe(202);
    expect(world.emulator.control.graph.messages(ADELE.id, 'sentitems')).toHaveLength(before);
    const [got] = await inbox(megan, "?$filter=subject eq 'From my alias'");
    expect(got.from.emailAddress.address).toBe('av@sales.contoso.com');
  });

  it('allows Send As with the grant and Mail.Send.Shared (SDK), saving to the sender’s Sent Items', async () => {
    const token = await userToken(world, ADELE.id, [...MAIL_SCOPES, 'Mail.Send.Shared']);
    const { client, agent } = graphClientFor(
      world.emulator.graphBaseUrl,
      world.emulator.caCertPem,
      () => token,
    );
    agents.push(agent);
    await client.api('/me/sendMail').post({
      message: {
        subject: 'Support says hi',
        toRecipients: to(MEGAN.mail),
        from: { emailAddress: { address: SUPPORT_MAILBOX.mail } },
      },
    });
    const [got] = await inbox(megan, "?$filter=subject eq 'Support says hi'");
    expect(got.from.emailAddress.address).toBe(SUPPORT_MAILBOX.mail);
    expect(got.sender.emailAddress.address).toBe(SUPPORT_MAILBOX.mail);
    const record = world.emulator.control.graph.sentMail().at(-1);
    expect(record).toMatchObject({
      mailboxId: ADELE.id,
      actorUserId: ADELE.id,
      from: { address: SUPPORT_MAILBOX.mail },
    });
    expect(
      world.emulator.control.graph.message(ADELE.id, record?.sentItemId ?? '').parentFolderId,
    ).toBe('sentitems');
  });

  it('denies Send As without Mail.Send.Shared, without the grant, and for unknown addresses', async () => {
    const noShared = graphCaller(world.http, await userToken(world, ADELE.id, MAIL_SCOPES));
    const asSupport = {
      message: {
        subject: 'x',
        toRecipients: to(MEGAN.mail),
        from: { emailAddress: { address: SUPPORT_MAILBOX.mail } },
      },
    };
    for (const [caller, payload] of [
      [noShared, asSupport],
      [megan, asSupport],
      [
        megan,
        {
          message: {
            ...asSupport.message,
            from: { emailAddress: { address: 'ceo@elsewhere.example' } },
          },
        },
      ],
    ] as const) {
      const res = await caller.post('/v1.0/me/sendMail', payload);
      expect(res.status).toBe(403);
      const error = res.json<{ error: { code: string; message: string } }>().error;
      expect(error.code).toBe('ErrorSendAsDenied');
      expect(error.message).toContain(
        'does not have the right to send mail on behalf of the specified sending account',
      );
    }
  });

  it('lets an app token with Mail.Send send as any mailbox of the tenant', async () => {
    const app = graphCaller(world.http, await appToken(world));
    const res = await app.post(`/v1.0/users/${MEGAN.id}/sendMail`, {
      message: {
        subject: 'App-only as support',
        toRecipients: to(ADELE.mail),
        from: { emailAddress: { address: SUPPORT_MAILBOX.mail } },
      },
    });
    expect(res.status).toBe(202);
    expect(world.emulator.control.graph.sentMail().at(-1)).toMatchObject({
      mailboxId: MEGAN.id,
      actorUserId: null,
      from: { address: SUPPORT_MAILBOX.mail },
    });
    const direct = await app.post(`/v1.0/users/${SUPPORT_MAILBOX.userPrincipalName}/sendMail`, {
      message: { subject: 'direct', toRecipients: to(ADELE.mail) },
    });
    expect(direct.status).toBe(202);
    const noSend = graphCaller(world.http, await appToken(world, undefined, ['User.Read.All']));
    expect(
      (
        await noSend.post(`/v1.0/users/${MEGAN.id}/sendMail`, {
          message: { subject: 'x', toRecipients: to(ADELE.mail) },
        })
      ).status,
    ).toBe(403);
  });

  it('validates recipients, headers and the recipient limit', async () => {
    const cases: Array<[unknown, string]> = [
      [{ message: { subject: 'none' } }, 'ErrorInvalidRecipients'],
      [
        { message: { subject: 'bad', toRecipients: to('not-an-address') } },
        'ErrorInvalidRecipients',
      ],
      [
        {
          message: {
            subject: 'hdr',
            toRecipients: to(MEGAN.mail),
            internetMessageHeaders: [{ name: 'List-Unsubscribe', value: '<x>' }],
          },
        },
        'InvalidInternetMessageHeader',
      ],
    ];
    for (const [payload, code] of cases) {
      const res = await adele.post('/v1.0/me/sendMail', payload);
      expect(res.status).toBe(400);
      expect(res.json()).toMatchObject({ error: { code } });
    }
    world.emulator.control.graph.configure({ maxRecipientsPerMessage: 2 });
    const tooMany = await adele.post('/v1.0/me/sendMail', {
      message: { subject: 'many', toRecipients: to('a@x.example', 'b@x.example', 'c@x.example') },
    });
    expect(tooMany.status).toBe(400);
  });

  it('replies in thread: same conversation, In-Reply-To and References', async () => {
    const original = world.emulator.control.graph.injectInbound({
      mailbox: MEGAN.id,
      from: { address: 'lead@prospect.example', name: 'Lead' },
      subject: 'Pricing?',
      body: 'How much?',
    });
    expect(
      (
        await megan.post(`/v1.0/me/messages/${original.id}/reply`, {
          comment: 'Thanks for asking!',
        })
      ).status,
    ).toBe(202);
    const record = world.emulator.control.graph.sentMail({ mailbox: MEGAN.id }).at(-1);
    expect(record).toMatchObject({
      operation: 'reply',
      subject: 'RE: Pricing?',
      conversationId: original.conversationId,
      toRecipients: [{ address: 'lead@prospect.example' }],
    });
    const header = (name: string) =>
      record?.internetMessageHeaders.find((h) => h.name === name)?.value;
    expect(header('In-Reply-To')).toBe(original.internetMessageId);
    expect(header('References')).toContain(original.internetMessageId);
    expect(record?.body.content).toContain('Thanks for asking!');
  });

  it('creates a reply draft, updates it and sends it in thread', async () => {
    const sent = await adele.post('/v1.0/me/sendMail', {
      message: { subject: 'Kickoff', toRecipients: to(MEGAN.mail) },
    });
    expect(sent.status).toBe(202);
    const [incoming] = await inbox(megan, "?$filter=subject eq 'Kickoff'");
    const draftRes = await megan.post(`/v1.0/me/messages/${incoming.id}/createReply`, {});
    expect(draftRes.status).toBe(201);
    const draft = draftRes.json<Message & { isDraft: boolean; toRecipients: unknown }>();
    expect(draft).toMatchObject({
      isDraft: true,
      parentFolderId: 'drafts',
      subject: 'RE: Kickoff',
      conversationId: incoming.conversationId,
    });
    expect(draft.toRecipients).toEqual(
      to(ADELE.mail).map((r) => ({ emailAddress: { ...r.emailAddress, name: ADELE.displayName } })),
    );
    const patched = await megan.patch(`/v1.0/me/messages/${draft.id}`, {
      body: { contentType: 'text', content: 'Looking forward to it.' },
    });
    expect(patched.status).toBe(200);
    expect((await megan.post(`/v1.0/me/messages/${draft.id}/send`)).status).toBe(202);
    const replies = await inbox(
      adele,
      `?$filter=conversationId eq '${incoming.conversationId}'&$select=subject,internetMessageHeaders,conversationId`,
    );
    const reply = replies.find((m) => m.subject === 'RE: Kickoff');
    expect(reply?.internetMessageHeaders?.find((h) => h.name === 'In-Reply-To')?.value).toBe(
      incoming.internetMessageId,
    );
    const moved = world.emulator.control.graph.message(MEGAN.id, draft.id);
    expect(moved).toMatchObject({ parentFolderId: 'sentitems', isDraft: false });
    const again = await megan.post(`/v1.0/me/messages/${draft.id}/send`);
    expect(again.status).toBe(400);
  });

  it('lists with $orderby, $top and a $skip nextLink; unknown ids are ErrorItemNotFound', async () => {
    for (const n of [1, 2, 3]) {
      world.emulator.control.graph.injectInbound({
        mailbox: ADELE.id,
        from: 'bulk@news.example',
        subject: `Bulk ${n}`,
      });
    }
    const first = (
      await adele.get(
        "/v1.0/me/messages?$top=2&$filter=from/emailAddress/address eq 'bulk@news.example'&$orderby=receivedDateTime desc",
      )
    ).json<{ value: Message[]; '@odata.nextLink': string }>();
    expect(first.value.map((m) => m.subject)).toEqual(['Bulk 3', 'Bulk 2']);
    const second = (await adele.get(first['@odata.nextLink'])).json<{
      value: Message[];
      '@odata.nextLink'?: string;
    }>();
    expect(second.value.map((m) => m.subject)).toEqual(['Bulk 1']);
    expect(second['@odata.nextLink']).toBeUndefined();
    const missing = await adele.get('/v1.0/me/messages/AAMkdoesnotexist');
    expect(missing.status).toBe(404);
    expect(missing.json()).toMatchObject({ error: { code: 'ErrorItemNotFound' } });
  });

  it('reads another mailbox only with a .Shared scope and full access', async () => {
    const shared = graphCaller(
      world.http,
      await userToken(world, MEGAN.id, [...MAIL_SCOPES, 'Mail.Read.Shared']),
    );
    expect((await shared.get(`/v1.0/users/${SUPPORT_MAILBOX.id}/messages`)).status).toBe(403);
    world.emulator.control.graph.grantFullAccess(MEGAN.id, SUPPORT_MAILBOX.mail);
    expect((await shared.get(`/v1.0/users/${SUPPORT_MAILBOX.id}/messages`)).status).toBe(200);
    expect((await megan.get(`/v1.0/users/${SUPPORT_MAILBOX.id}/messages`)).status).toBe(403);
  });
});
