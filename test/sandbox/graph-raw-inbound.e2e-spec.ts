import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MEGAN } from '../../src/sandbox/seed.js';
import { inboundFixture, inboundFixtures } from '../support/inbound-fixtures.js';
import {
  graphCaller,
  startGraphWorld,
  userToken,
  type GraphCaller,
  type GraphWorld,
} from './support/graph-world.js';

describe('Graph emulator: raw RFC 5322 delivery and message triage fields', () => {
  let world: GraphWorld;
  let megan: GraphCaller;

  beforeAll(async () => {
    world = await startGraphWorld();
    megan = graphCaller(world.http, await userToken(world, MEGAN.id));
  });
  afterAll(() => world.close());

  it('delivers a multipart/report bounce with its headers, addresses and text part', async () => {
    const raw = inboundFixture('loop', 'bounce-exchange-ndr.eml', MEGAN.mail);
    const res = await world.http.send(
      'POST',
      '/_emulator/mail/raw',
      { 'content-type': 'application/json' },
      JSON.stringify({ mailbox: MEGAN.mail, raw }),
    );
    expect(res.status).toBe(201);
    const id = res.json<{ id: string }>().id;
    const got = await megan.get(
      `/v1.0/me/messages/${id}?$select=subject,from,internetMessageId,internetMessageHeaders,body,toRecipients`,
    );
    const message = got.json<{
      subject: string;
      from: { emailAddress: { address: string; name: string } };
      internetMessageId: string;
      internetMessageHeaders: { name: string; value: string }[];
      body: { content: string };
    }>();
    expect(message.subject).toBe('Undeliverable: Quarterly review');
    expect(message.from.emailAddress).toEqual({
      address: 'postmaster@fabrikam.example',
      name: 'Microsoft Outlook',
    });
    expect(message.internetMessageId).toBe(
      '<ndr-5b3c2f1e@DM6PR11MB4011.namprd11.prod.outlook.com>',
    );
    const header = (name: string) =>
      message.internetMessageHeaders.find((h) => h.name === name)?.value;
    expect(header('Return-Path')).toBe('<>');
    expect(header('Content-Type')).toMatch(/^multipart\/report; report-type=delivery-status;/);
    expect(header('Auto-Submitted')).toBe('auto-replied');
    expect(header('Received')).toBeDefined();
    expect(message.body.content).toContain("couldn't be delivered");
    expect(message.body.content).not.toContain('Reporting-MTA');
  });

  it('every fixture parses: a From address, a subject and a Message-ID', () => {
    for (const { name, raw } of inboundFixtures('loop', { mailbox: MEGAN.mail })) {
      const message = world.emulator.control.graph.injectRaw(MEGAN.mail, raw);
      expect({ name, from: message.from?.emailAddress.address.includes('@') }).toEqual({
        name,
        from: true,
      });
      expect(message.subject.length).toBeGreaterThan(0);
      expect(message.internetMessageId).toMatch(/^<.+@.+>$/);
    }
  });

  it('decodes encoded words, quoted-printable and base64 parts; HTML when there is no text part', () => {
    const raw = [
      'From: =?utf-8?B?SsO8cmdlbg==?= <j@x.example>',
      `To: ${MEGAN.mail}`,
      'Subject: =?utf-8?Q?Gr=C3=BC=C3=9Fe?=',
      'Message-ID: <enc-1@x.example>',
      'Content-Type: multipart/alternative; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/html; charset=utf-8',
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from('<p>Hallo</p>').toString('base64'),
      '--b1--',
      '',
    ].join('\r\n');
    const message = world.emulator.control.graph.injectRaw(MEGAN.mail, raw);
    expect(message.subject).toBe('Grüße');
    expect(message.from?.emailAddress.name).toBe('Jürgen');
    expect(message.body).toEqual({ contentType: 'html', content: '<p>Hallo</p>' });
  });

  it('PATCH sets categories and the flag on a received message; bad values are 400', async () => {
    const message = world.emulator.control.graph.injectInbound({
      mailbox: MEGAN.id,
      from: 'a@b.example',
      subject: 'route me',
    });
    const patched = await megan.patch(`/v1.0/me/messages/${message.id}`, {
      categories: ['AI: Lead', 'AI: Lead'],
      flag: { flagStatus: 'flagged' },
    });
    expect(patched.status).toBe(200);
    const got = (await megan.get(`/v1.0/me/messages/${message.id}?$select=categories,flag`)).json();
    expect(got).toMatchObject({ categories: ['AI: Lead'], flag: { flagStatus: 'flagged' } });
    expect((await megan.patch(`/v1.0/me/messages/${message.id}`, { categories: 'x' })).status).toBe(
      400,
    );
    expect(
      (await megan.patch(`/v1.0/me/messages/${message.id}`, { flag: { flagStatus: 'red' } }))
        .status,
    ).toBe(400);
  });
});
