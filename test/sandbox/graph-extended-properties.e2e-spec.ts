import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Agent } from 'undici';
import { ADELE, MEGAN } from '../../src/sandbox/seed.js';
import { graphClientFor } from './support/graph-sdk.js';
import {
  graphCaller,
  startGraphWorld,
  userToken,
  type GraphCaller,
  type GraphWorld,
} from './support/graph-world.js';

interface ExtendedProperty {
  id: string;
  value: string;
}

interface Message {
  id: string;
  subject: string;
  internetMessageId: string;
  parentFolderId: string;
  isDraft: boolean;
  singleValueExtendedProperties?: ExtendedProperty[];
}

interface GraphErrorBody {
  error: { code: string; message: string };
}

/** The product's marker: a custom named MAPI property (string) in its own namespace. */
const MARKER = 'String {66f5a359-4659-4830-9070-00047ec6ac6e} Name ScendcoreSendMarker';
const to = (...addresses: string[]) => addresses.map((address) => ({ emailAddress: { address } }));
const anyMarker = (value: string, id = MARKER) =>
  `singleValueExtendedProperties/Any(ep: ep/id eq '${id}' and ep/value eq '${value}')`;
const expandMarker = (id = MARKER) => `singleValueExtendedProperties($filter=id eq '${id}')`;
const q = (options: Record<string, string>) =>
  `?${Object.entries(options)
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
    .join('&')}`;

describe('Graph emulator: single-value extended properties (send markers)', () => {
  let world: GraphWorld;
  let adele: GraphCaller;
  let megan: GraphCaller;
  let adeleToken: string;
  const agents: Agent[] = [];

  beforeAll(async () => {
    world = await startGraphWorld();
    adeleToken = await userToken(world, ADELE.id);
    adele = graphCaller(world.http, adeleToken);
    megan = graphCaller(world.http, await userToken(world, MEGAN.id));
  });

  afterAll(async () => {
    await Promise.all(agents.map((a) => a.close()));
    await world.close();
  });

  const list = async (caller: GraphCaller, path: string, options: Record<string, string>) => {
    const res = await caller.get(`${path}${q(options)}`);
    expect(res.status).toBe(200);
    return res.json<{ value: Message[] }>().value;
  };

  const sendWithMarker = async (subject: string, marker: string, id = MARKER) => {
    const res = await adele.post('/v1.0/me/sendMail', {
      message: {
        subject,
        body: { contentType: 'Text', content: 'hello' },
        toRecipients: to(MEGAN.mail),
        singleValueExtendedProperties: [{ id, value: marker }],
      },
    });
    expect(res.status).toBe(202);
  };

  it('finds a sent message in Sent Items by its marker (Any filter) and expands the property', async () => {
    await sendWithMarker('Marked once', 'mk-0001');
    await sendWithMarker('Marked twice', 'mk-0002');

    const found = await list(adele, '/v1.0/me/mailFolders/sentitems/messages', {
      $filter: anyMarker('mk-0001'),
      $select: 'subject,internetMessageId',
      $expand: expandMarker(),
    });
    expect(found).toHaveLength(1);
    expect(found[0].subject).toBe('Marked once');
    expect(found[0].singleValueExtendedProperties).toEqual([{ id: MARKER, value: 'mk-0001' }]);

    // Without $expand the property is not returned (as in Graph).
    const plain = await list(adele, '/v1.0/me/mailFolders/sentitems/messages', {
      $filter: anyMarker('mk-0001'),
    });
    expect(plain).toHaveLength(1);
    expect(plain[0]).not.toHaveProperty('singleValueExtendedProperties');

    // Type, GUID and keyword compare case-insensitively; the value too.
    const loose = MARKER.replace('String', 'string').replace('66f5a359', '66F5A359');
    expect(
      await list(adele, '/v1.0/me/messages', { $filter: anyMarker('MK-0001', loose) }),
    ).toHaveLength(1);

    // A single message can be expanded too.
    const one = await adele.get(
      `/v1.0/me/messages/${found[0].id}${q({ $expand: expandMarker(loose) })}`,
    );
    expect(one.json<Message>().singleValueExtendedProperties).toEqual([
      { id: MARKER, value: 'mk-0001' },
    ]);
  });

  it('finds nothing for another value or another property name', async () => {
    await sendWithMarker('Marked three', 'mk-0003');
    expect(
      await list(adele, '/v1.0/me/mailFolders/sentitems/messages', {
        $filter: anyMarker('mk-9999'),
      }),
    ).toEqual([]);
    // The string name is case-sensitive (documented for Graph).
    expect(
      await list(adele, '/v1.0/me/mailFolders/sentitems/messages', {
        $filter: anyMarker('mk-0003', MARKER.replace('ScendcoreSendMarker', 'scendcoresendmarker')),
      }),
    ).toEqual([]);
    // Messages without the property are omitted from the expansion, not given an empty list.
    const others = await list(adele, '/v1.0/me/mailFolders/sentitems/messages', {
      $filter: "subject eq 'Marked three'",
      $expand: expandMarker(MARKER.replace('Name ScendcoreSendMarker', 'Name Other')),
    });
    expect(others).toHaveLength(1);
    expect(others[0]).not.toHaveProperty('singleValueExtendedProperties');
  });

  it('keeps the property off recipients’ inbox copies', async () => {
    await sendWithMarker('Marked for Megan', 'mk-0004');
    const received = await list(megan, '/v1.0/me/mailFolders/inbox/messages', {
      $filter: "subject eq 'Marked for Megan'",
      $expand: expandMarker(),
    });
    expect(received).toHaveLength(1);
    expect(received[0]).not.toHaveProperty('singleValueExtendedProperties');
    expect(await list(megan, '/v1.0/me/messages', { $filter: anyMarker('mk-0004') })).toEqual([]);
    const [sent] = world.emulator.control.graph
      .messages(ADELE.id, 'sentitems')
      .filter((m) => m.subject === 'Marked for Megan');
    expect(sent.singleValueExtendedProperties).toEqual([{ id: MARKER, value: 'mk-0004' }]);
  });

  it('rejects malformed property ids with 400 ErrorInvalidProperty', async () => {
    const before = world.emulator.control.graph.sentMail().length;
    for (const id of [
      'ScendcoreSendMarker',
      'String ScendcoreSendMarker',
      'String {not-a-guid} Name X',
      'Strung {66f5a359-4659-4830-9070-00047ec6ac6e} Name X',
      'String {66f5a359-4659-4830-9070-00047ec6ac6e} Name',
      'String {66f5a359-4659-4830-9070-00047ec6ac6e} Id zz',
      'StringArray {66f5a359-4659-4830-9070-00047ec6ac6e} Name X',
    ]) {
      const res = await adele.post('/v1.0/me/sendMail', {
        message: {
          subject: 'bad',
          toRecipients: to(MEGAN.mail),
          singleValueExtendedProperties: [{ id, value: 'x' }],
        },
      });
      expect(res.status).toBe(400);
      expect(res.json<GraphErrorBody>().error.code).toBe('ErrorInvalidProperty');
    }
    expect(world.emulator.control.graph.sentMail()).toHaveLength(before);

    const badFilter = await adele.get(
      `/v1.0/me/messages${q({ $filter: anyMarker('x', 'String Nope') })}`,
    );
    expect(badFilter.status).toBe(400);
    expect(badFilter.json<GraphErrorBody>().error.code).toBe('ErrorInvalidProperty');
    const badExpand = await adele.get(`/v1.0/me/messages${q({ $expand: expandMarker('Nope') })}`);
    expect(badExpand.status).toBe(400);
    expect(badExpand.json<GraphErrorBody>().error.code).toBe('ErrorInvalidProperty');
    const badValue = await adele.post('/v1.0/me/messages', {
      subject: 'draft',
      singleValueExtendedProperties: [
        { id: 'Integer {66f5a359-4659-4830-9070-00047ec6ac6e} Name Count', value: 'many' },
      ],
    });
    expect(badValue.status).toBe(400);
  });

  it('combines the marker filter with sentDateTime ge … (and other clauses)', async () => {
    const clock = world.emulator.store.clock;
    const sentAt = clock.now().toISOString();
    await sendWithMarker('Marked dated', 'mk-0005');
    clock.advance(60_000);
    const later = clock.now().toISOString();
    const query = (since: string) =>
      list(adele, '/v1.0/me/mailFolders/sentitems/messages', {
        $filter: `${anyMarker('mk-0005')} and sentDateTime ge ${since}`,
      });
    expect(await query(sentAt)).toHaveLength(1);
    expect(await query(later)).toEqual([]);
    expect(
      await list(adele, '/v1.0/me/messages', {
        $filter: `sentDateTime ge ${sentAt} and ${anyMarker('mk-0005')} and subject eq 'Marked dated'`,
      }),
    ).toHaveLength(1);
    expect(
      await list(adele, '/v1.0/me/messages', {
        $filter: `singleValueExtendedProperties/Any(ep: ep/id eq '${MARKER}' and startswith(ep/value, 'mk-000'))`,
      }),
    ).toHaveLength(5);
  });

  it('carries properties on drafts (create, createReply, PATCH) to Sent Items when the draft is sent, and on replies', async () => {
    const draft = await adele.post('/v1.0/me/messages', {
      subject: 'Draft with marker',
      toRecipients: to(MEGAN.mail),
      singleValueExtendedProperties: [{ id: MARKER, value: 'mk-draft' }],
    });
    expect(draft.status).toBe(201);
    const draftId = draft.json<Message>().id;
    expect(
      (
        await list(adele, '/v1.0/me/mailFolders/drafts/messages', {
          $filter: anyMarker('mk-draft'),
        })
      ).map((m) => m.id),
    ).toEqual([draftId]);
    const patched = await adele.patch(`/v1.0/me/messages/${draftId}`, {
      singleValueExtendedProperties: [
        { id: 'Integer {66f5a359-4659-4830-9070-00047ec6ac6e} Id 0x8012', value: '7' },
      ],
    });
    expect(patched.status).toBe(200);
    expect((await adele.post(`/v1.0/me/messages/${draftId}/send`)).status).toBe(202);
    const sent = await adele.get(
      `/v1.0/me/messages/${draftId}${q({
        $expand: `singleValueExtendedProperties($filter=id eq '${MARKER}' or id eq 'Integer {66F5A359-4659-4830-9070-00047EC6AC6E} Id 0x8012')`,
      })}`,
    );
    expect(sent.json<Message>()).toMatchObject({ parentFolderId: 'sentitems', isDraft: false });
    expect(sent.json<Message>().singleValueExtendedProperties).toEqual([
      { id: MARKER, value: 'mk-draft' },
      { id: 'Integer {66f5a359-4659-4830-9070-00047ec6ac6e} Id 0x8012', value: '7' },
    ]);

    const [original] = await list(megan, '/v1.0/me/mailFolders/inbox/messages', {
      $filter: "subject eq 'Draft with marker'",
    });
    expect(
      (
        await megan.post(`/v1.0/me/messages/${original.id}/reply`, {
          comment: 'thanks',
          message: { singleValueExtendedProperties: [{ id: MARKER, value: 'mk-reply' }] },
        })
      ).status,
    ).toBe(202);
    const replies = await list(megan, '/v1.0/me/mailFolders/sentitems/messages', {
      $filter: anyMarker('mk-reply'),
    });
    expect(replies.map((m) => m.subject)).toEqual(['RE: Draft with marker']);

    const created = await megan.post(`/v1.0/me/messages/${original.id}/createReply`, {
      message: { singleValueExtendedProperties: [{ id: MARKER, value: 'mk-create-reply' }] },
    });
    expect(created.status).toBe(201);
    const drafts = await list(megan, '/v1.0/me/mailFolders/drafts/messages', {
      $filter: anyMarker('mk-create-reply'),
    });
    expect(drafts.map((m) => m.id)).toEqual([created.json<Message>().id]);
  });

  it('works through @microsoft/microsoft-graph-client (.filter/.expand, /users/{id}/sendMail)', async () => {
    const { client, agent } = graphClientFor(
      world.emulator.graphBaseUrl,
      world.emulator.caCertPem,
      () => adeleToken,
    );
    agents.push(agent);
    await client.api(`/users/${ADELE.id}/sendMail`).post({
      message: {
        subject: 'Marked via SDK',
        toRecipients: to(MEGAN.mail),
        singleValueExtendedProperties: [{ id: MARKER, value: 'mk-sdk-1' }],
      },
      saveToSentItems: true,
    });
    const page = (await client
      .api('/me/mailFolders/sentitems/messages')
      .filter(anyMarker('mk-sdk-1'))
      .expand(expandMarker())
      .select(['id', 'subject', 'internetMessageId', 'sentDateTime'])
      .top(2)
      .get()) as { value: Message[] };
    expect(page.value).toHaveLength(1);
    expect(page.value[0].subject).toBe('Marked via SDK');
    expect(page.value[0].singleValueExtendedProperties).toEqual([
      { id: MARKER, value: 'mk-sdk-1' },
    ]);
  });
});
