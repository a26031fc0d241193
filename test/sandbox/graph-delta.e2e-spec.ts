import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MEGAN } from '../../src/sandbox/seed.js';
import {
  graphCaller,
  startGraphWorld,
  userToken,
  type GraphCaller,
  type GraphWorld,
} from './support/graph-world.js';

interface DeltaPage {
  value: Array<{
    id: string;
    subject?: string;
    '@removed'?: { reason: string };
    [k: string]: unknown;
  }>;
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}

describe('Graph emulator: mailFolder message delta', () => {
  let world: GraphWorld;
  let megan: GraphCaller;
  const inject = (subject: string) =>
    world.emulator.control.graph.injectInbound({
      mailbox: MEGAN.id,
      from: 'x@outside.example',
      subject,
    });

  beforeAll(async () => {
    world = await startGraphWorld();
    megan = graphCaller(world.http, await userToken(world, MEGAN.id, ['openid', 'Mail.Read']));
  });

  afterAll(async () => {
    await world.close();
  });

  /** Follows nextLinks to the end of a round; returns every item and the deltaLink. */
  async function round(first: string, headers: Record<string, string> = {}) {
    const items: DeltaPage['value'] = [];
    let pages = 0;
    let url = first;
    for (;;) {
      const res = await megan.get(url, headers);
      expect(res.status).toBe(200);
      const page = res.json<DeltaPage>();
      items.push(...page.value);
      pages++;
      if (page['@odata.deltaLink'])
        return { items, pages, deltaLink: page['@odata.deltaLink'], res };
      expect(page['@odata.nextLink']).toBeDefined();
      url = page['@odata.nextLink'] ?? '';
    }
  }

  it('pages the initial sync with odata.maxpagesize, then reports only changes and removals', async () => {
    const seeded = ['d1', 'd2', 'd3', 'd4', 'd5'].map(inject);
    const initial = await round(
      "/v1.0/me/mailFolders('inbox')/messages/delta?$select=subject,receivedDateTime",
      {
        Prefer: 'odata.maxpagesize=2, IdType="ImmutableId"',
      },
    );
    expect(initial.pages).toBe(3);
    expect(initial.items.map((m) => m.id).sort()).toEqual(seeded.map((m) => m.id).sort());
    expect(Object.keys(initial.items[0]).sort()).toEqual([
      '@odata.etag',
      '@odata.type',
      'id',
      'receivedDateTime',
      'subject',
    ]);
    expect(initial.res.headers['preference-applied']).toContain('odata.maxpagesize=2');

    const nothing = await round(initial.deltaLink);
    expect(nothing.items).toEqual([]);

    const fresh = inject('d6');
    world.emulator.control.graph.deleteMessage(MEGAN.id, seeded[0].id);
    world.emulator.control.graph.moveMessage(MEGAN.id, seeded[1].id, 'deleteditems');
    const changes = await round(nothing.deltaLink);
    expect(changes.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: fresh.id, subject: 'd6' }),
        {
          '@odata.type': '#microsoft.graph.message',
          id: seeded[0].id,
          '@removed': { reason: 'deleted' },
        },
        {
          '@odata.type': '#microsoft.graph.message',
          id: seeded[1].id,
          '@removed': { reason: 'deleted' },
        },
      ]),
    );
    expect(changes.items).toHaveLength(3);
  });

  it('keeps $top from the first call and the folder given by id or well-known name', async () => {
    const first = (
      await megan.get('/v1.0/me/mailFolders/Inbox/messages/delta?$top=1')
    ).json<DeltaPage>();
    expect(first.value).toHaveLength(1);
    expect(first['@odata.nextLink']).toMatch(
      /\/mailFolders\('inbox'\)\/messages\/delta\?\$skiptoken=/,
    );
  });

  it('answers 410 SyncStateNotFound for a forged or expired token so the client resyncs', async () => {
    const forged = await megan.get(
      "/v1.0/me/mailFolders('inbox')/messages/delta?$deltatoken=bogus.token",
    );
    expect(forged.status).toBe(410);
    expect(forged.json()).toMatchObject({ error: { code: 'SyncStateNotFound' } });
    const { deltaLink } = await round("/v1.0/me/mailFolders('inbox')/messages/delta");
    world.emulator.control.graph.expireDeltaTokens(MEGAN.id);
    const expired = await megan.get(deltaLink);
    expect(expired.status).toBe(410);
    const resync = await round("/v1.0/me/mailFolders('inbox')/messages/delta");
    expect(resync.items.length).toBeGreaterThan(0);
  });

  it('refuses a token of another folder', async () => {
    const { deltaLink } = await round("/v1.0/me/mailFolders('inbox')/messages/delta");
    const token = new URL(deltaLink).searchParams.get('$deltatoken') ?? '';
    const other = await megan.get(
      `/v1.0/me/mailFolders('sentitems')/messages/delta?$deltatoken=${encodeURIComponent(token)}`,
    );
    expect(other.status).toBe(410);
  });
});
