import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { queueMessages } from '../factories/outbound.js';
import { buildSenderProfile } from '../factories/sender-profile.js';
import { call, createSandboxApp, type SandboxApp, sandboxToken } from '../support/sandbox-app.js';

interface Page {
  items: { id: string; status: string; senderProfileId: string; subject: string }[];
  nextCursor: string | null;
}

/** GET /v1/messages: the workspace's messages, newest first, filtered, paged by cursor. */
describe('listing messages (e2e)', () => {
  let t: SandboxApp;
  let token: string;
  let profiles: string[];

  beforeAll(async () => {
    t = await createSandboxApp();
    token = await sandboxToken(t, 'u-list', 'ws-send');
    profiles = [];
    for (const name of ['A', 'B']) {
      profiles.push((await buildSenderProfile(t.db.prisma, { workspaceId: 'ws-send', name })).id);
    }
    await queueMessages(t.db.prisma, profiles[0], 7, 'a');
    await queueMessages(t.db.prisma, profiles[1], 3, 'b');
    await t.db.prisma.outboundMessage.updateMany({
      where: { subject: { in: ['a-0', 'a-1'] } },
      data: { status: 'failed', errorCode: 'graph_400_ErrorInvalidRecipients' },
    });
    await buildSenderProfile(t.db.prisma, { workspaceId: 'ws-other' });
  });
  afterAll(() => t.close());

  const list = async (query: string) => {
    const res = await call(t, 'GET', `/v1/messages${query}`, { token });
    expect(res.status).toBe(200);
    return res.json<Page>();
  };

  it('pages through every message once, newest first', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await list(`?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((m) => m.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(10);
    expect(new Set(seen).size).toBe(10);
    const rows = await t.db.prisma.outboundMessage.findMany({
      where: { workspaceId: 'ws-send' },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    });
    expect(seen).toEqual(rows.map((r) => r.id));
  });

  it('filters by status and by sender profile', async () => {
    const failed = await list('?status=failed');
    expect(failed.items.map((m) => m.subject).sort()).toEqual(['a-0', 'a-1']);
    const ofB = await list(`?senderProfileId=${profiles[1]}`);
    expect(ofB.items).toHaveLength(3);
    expect(ofB.items.every((m) => m.senderProfileId === profiles[1])).toBe(true);
    const queuedA = await list(`?status=queued&senderProfileId=${profiles[0]}`);
    expect(queuedA.items).toHaveLength(5);
  });

  it('another workspace sees none of them', async () => {
    const other = await sandboxToken(t, 'u-other', 'ws-other');
    const res = await call(t, 'GET', '/v1/messages', { token: other });
    expect(res.json<Page>()).toEqual({ items: [], nextCursor: null });
  });

  it('bad filters, limits and cursors → 400 validation_failed naming the field', async () => {
    for (const [query, field] of [
      ['?status=lost', 'status'],
      ['?senderProfileId=nope', 'senderProfileId'],
      ['?limit=101', 'limit'],
      ['?limit=0', 'limit'],
      ['?cursor=bm90LWEtY3Vyc29y', 'cursor'],
    ]) {
      const res = await call(t, 'GET', `/v1/messages${query}`, { token });
      expect(res.status).toBe(400);
      const body = res.json<{ error: { code: string; details: { field: string }[] } }>();
      expect(body.error.code).toBe('validation_failed');
      expect(body.error.details.map((d) => d.field)).toContain(field);
    }
  });
});
