import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { ResourceDef } from '../../src/modules/console/admin/definitions.js';
import { ConsoleCatalog } from '../../src/modules/console/console.catalog.js';
import { ConsoleDashboardService } from '../../src/modules/console/dashboard.service.js';
import { buildMailbox } from '../factories/mailbox.js';
import { queueMessages } from '../factories/outbound.js';
import { buildSenderProfile } from '../factories/sender-profile.js';
import { createTestApp, type TestApp } from '../support/app.js';

const page = { filters: {}, offset: 0, limit: 100 };
type Row = Record<string, unknown>;

/**
 * The console's sender profile, identity and outbound message pages show the sending pace, each
 * identity's override and effective pace, and why a queued message waits — checked against what
 * SQL says is stored.
 */
describe('sending pace in the operations console (integration, real PostgreSQL)', () => {
  let t: TestApp;
  let resources: Map<string, ResourceDef>;
  const ws = 'ws-console-pace';
  let paced = '';
  let unpaced = '';
  let overridden = '';
  let inheriting = '';
  let loose = '';

  beforeAll(async () => {
    t = await createTestApp();
    resources = new Map(
      t.app
        .get(ConsoleCatalog)
        .definitions()
        .map((d) => [d.id, d]),
    );
    paced = (await buildSenderProfile(t.db.prisma, { workspaceId: ws, name: 'Paced' })).id;
    await t.db.prisma.senderProfile.update({
      where: { id: paced },
      data: {
        pace: {
          dailyCap: 30,
          gap: { minSeconds: 60, maxSeconds: 120 },
          window: { days: [1, 2, 3, 4, 5], start: '08:00', end: '18:00', timeZone: 'Europe/Paris' },
          ramp: { start: 5, step: 5 },
        },
      },
    });
    unpaced = (await buildSenderProfile(t.db.prisma, { workspaceId: ws, name: 'Unpaced' })).id;
    const mailbox = await buildMailbox(t.db.prisma, { workspaceId: ws });
    const identity = (email: string, senderProfileId: string | null, paceOverride?: object) =>
      t.db.prisma.identity.create({
        data: {
          id: randomUUID(),
          mailboxId: mailbox.id,
          workspaceId: ws,
          email,
          type: 'alias',
          source: 'discovered',
          senderProfileId,
          ...(paceOverride ? { paceOverride } : {}),
        },
      });
    overridden = (await identity('capped@contoso.test', paced, { dailyCap: 10 })).id;
    inheriting = (await identity('plain@contoso.test', paced)).id;
    loose = (await identity('loose@contoso.test', null, { gap: { minSeconds: 5, maxSeconds: 9 } }))
      .id;

    const ids = await queueMessages(t.db.prisma, paced, 6, 'held', ws);
    const set = (id: string, data: object) =>
      t.db.prisma.outboundMessage.update({ where: { id }, data });
    const later = new Date(Date.now() + 3 * 3600_000);
    await set(ids[0], { waitingReason: 'waiting_for_window', nextAttemptAt: later });
    await set(ids[1], { waitingReason: 'daily_cap_reached', nextAttemptAt: later });
    await set(ids[2], { waitingReason: 'mailbox_limit', nextAttemptAt: later });
    await set(ids[3], { isReply: true });
    // Not queued any more: a stale reason is not shown.
    await set(ids[4], { status: 'sent', sentAt: new Date(), waitingReason: 'minimum_gap' });
  });
  afterAll(() => t.close());

  const list = async (id: string, filters = {}) =>
    (await resources.get(id)!.source.listing({ ...page, filters })) as Row[];

  it('a sender profile shows its pace in words (off when none is stored)', async () => {
    const rows = await list('sender_profiles', { workspaceId: ws });
    const byId = new Map(rows.map((r) => [r.id, r.pace]));
    expect(byId.get(paced)).toBe(
      '30 a day · 60–120 s apart · Mon–Fri 08:00–18:00 (Europe/Paris) · ramp 5 +5 a day',
    );
    expect(byId.get(unpaced)).toBe('off (Exchange limits only)');
    const stored = await t.db.prisma.$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM sender_profile WHERE workspace_id = ${ws} AND pace IS NOT NULL`;
    expect(rows.filter((r) => r.pace !== 'off (Exchange limits only)')).toHaveLength(
      Number(stored[0].n),
    );
    expect(resources.get('sender_profiles')!.fields.map((f) => f.path)).toContain('pace');
  });

  it('an identity shows its own values and the effective pace over its profile’s', async () => {
    const rows = await list('identities', { workspaceId: ws });
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(overridden)).toMatchObject({
      paceOverride: '10 a day',
      effectivePace:
        '10 a day · 60–120 s apart · Mon–Fri 08:00–18:00 (Europe/Paris) · ramp 5 +5 a day',
    });
    expect(byId.get(inheriting)).toMatchObject({
      paceOverride: "none (inherits the sender profile's pace)",
      effectivePace:
        '30 a day · 60–120 s apart · Mon–Fri 08:00–18:00 (Europe/Paris) · ramp 5 +5 a day',
    });
    expect(byId.get(loose)).toMatchObject({
      paceOverride: '5–9 s apart',
      effectivePace: 'no daily cap · 5–9 s apart · any time · no ramp',
    });
    // One record page (the show page reads the listing filtered by id) says the same.
    const [one] = await list('identities', { id: overridden });
    expect(one).toMatchObject({ paceOverride: '10 a day' });
    const stored = await t.db.prisma.$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM identity WHERE workspace_id = ${ws} AND pace_override IS NOT NULL`;
    expect(rows.filter((r) => !String(r.paceOverride).startsWith('none'))).toHaveLength(
      Number(stored[0].n),
    );
  });

  it('an outbound message shows why it waits, when it is expected, and whether it is a reply — as stored', async () => {
    const rows = await list('outbound_messages', { workspaceId: ws });
    const stored = await t.db.prisma.$queryRaw<
      { id: string; waiting_reason: string | null; next_attempt_at: Date; is_reply: boolean }[]
    >`SELECT id, waiting_reason, next_attempt_at, is_reply FROM outbound_message
      WHERE workspace_id = ${ws} AND status = 'queued'`;
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const s of stored) {
      expect(byId.get(s.id)).toMatchObject({
        waitingReason: s.waiting_reason,
        expectedAt: s.next_attempt_at,
        isReply: s.is_reply,
      });
    }
    const pace = ['waiting_for_window', 'daily_cap_reached', 'ramp_limit_reached', 'minimum_gap'];
    const heldSql = stored.filter((s) => pace.includes(s.waiting_reason ?? '')).length;
    expect(heldSql).toBe(2);
    expect(rows.filter((r) => pace.includes(String(r.waitingReason)))).toHaveLength(heldSql);
    expect(rows.filter((r) => r.isReply)).toHaveLength(1);
    const sent = rows.find((r) => r.status === 'sent');
    expect(sent).toMatchObject({ waitingReason: null, expectedAt: null });
    // The list's count is the listing's own (no per-row reads).
    await expect(
      resources.get('outbound_messages')!.source.count({ workspaceId: ws }),
    ).resolves.toBe(6);
  });

  it('the "Held by pace" card counts the queued messages the pace holds, as SQL does, and links to that list', async () => {
    // A second workspace's held message counts too (the card is across workspaces); a stale
    // pace reason on a cancelled message does not.
    const other = await buildSenderProfile(t.db.prisma, { workspaceId: 'ws-console-pace-2' });
    const [otherHeld, otherCancelled] = await queueMessages(
      t.db.prisma,
      other.id,
      2,
      'other',
      'ws-console-pace-2',
    );
    await t.db.prisma.outboundMessage.update({
      where: { id: otherHeld },
      data: { waitingReason: 'ramp_limit_reached' },
    });
    await t.db.prisma.outboundMessage.update({
      where: { id: otherCancelled },
      data: { status: 'cancelled', waitingReason: 'minimum_gap' },
    });
    const sql = await t.db.prisma.$queryRaw<{ id: string }[]>`
      SELECT id FROM outbound_message WHERE status = 'queued' AND waiting_reason IN
        ('waiting_for_window', 'daily_cap_reached', 'ramp_limit_reached', 'minimum_gap')`;
    expect(sql.map((r) => r.id)).toContain(otherHeld);
    expect(sql.length).toBeGreaterThanOrEqual(3);

    const { cards } = await t.app.get(ConsoleDashboardService).dashboard();
    const card = cards.find((c) => c.key === 'held-by-pace');
    expect(card).toMatchObject({
      label: 'Held by pace',
      count: sql.length,
      tone: 'warn',
      href: '/admin/resources/outbound_messages?filters.heldByPace=true',
    });
    // The list the card links to shows exactly those rows, and counts them the same.
    const held = await list('outbound_messages', { heldByPace: 'true' });
    expect(held.map((r) => r.id).sort()).toEqual(sql.map((r) => r.id).sort());
    expect(held.every((r) => r.heldByPace === true && r.status === 'queued')).toBe(true);
    await expect(
      resources.get('outbound_messages')!.source.count({ heldByPace: 'true' }),
    ).resolves.toBe(sql.length);
    // heldByPace=false is the rest of the workspace's messages (the stale sent one among them).
    const notHeld = await list('outbound_messages', { workspaceId: ws, heldByPace: 'false' });
    expect(notHeld).toHaveLength(4);
    expect(notHeld.every((r) => r.heldByPace === false)).toBe(true);
    // A value that is not true/false matches nothing, without an error.
    await expect(list('outbound_messages', { heldByPace: 'maybe' })).resolves.toEqual([]);
  });

  it('filters on waiting reason and on reply match SQL (a stale reason on a sent message is not found)', async () => {
    const reasonSql = async (reason: string) =>
      (
        await t.db.prisma.$queryRaw<{ id: string }[]>`
          SELECT id FROM outbound_message
           WHERE workspace_id = ${ws} AND status = 'queued' AND waiting_reason = ${reason}`
      ).map((r) => r.id);
    for (const reason of ['waiting_for_window', 'mailbox_limit', 'minimum_gap']) {
      const rows = await list('outbound_messages', { workspaceId: ws, waitingReason: reason });
      expect([reason, rows.map((r) => r.id).sort()]).toEqual([
        reason,
        (await reasonSql(reason)).sort(),
      ]);
      await expect(
        resources
          .get('outbound_messages')!
          .source.count({ workspaceId: ws, waitingReason: reason }),
      ).resolves.toBe(rows.length);
    }
    // The sent message keeps minimum_gap in its column, but is not waiting.
    const stale = await t.db.prisma.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM outbound_message
       WHERE workspace_id = ${ws} AND waiting_reason = 'minimum_gap'`;
    expect(stale[0].n).toBe(1);
    await expect(
      list('outbound_messages', { workspaceId: ws, waitingReason: 'minimum_gap' }),
    ).resolves.toEqual([]);
    // An unknown reason matches nothing.
    await expect(
      list('outbound_messages', { workspaceId: ws, waitingReason: 'S3NT1NEL' }),
    ).resolves.toEqual([]);

    const replies = await t.db.prisma.$queryRaw<{ id: string }[]>`
      SELECT id FROM outbound_message WHERE workspace_id = ${ws} AND is_reply`;
    const rows = await list('outbound_messages', { workspaceId: ws, isReply: 'true' });
    expect(rows.map((r) => r.id)).toEqual(replies.map((r) => r.id));
    expect(replies).toHaveLength(1);
    await expect(
      list('outbound_messages', { workspaceId: ws, isReply: 'false' }),
    ).resolves.toHaveLength(5);
    // The filters are offered on the page.
    const filters = resources
      .get('outbound_messages')!
      .fields.filter((f) => f.filter)
      .map((f) => f.path);
    expect(filters).toEqual(expect.arrayContaining(['waitingReason', 'heldByPace', 'isReply']));
  });
});
