import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { Actor } from '../../src/common/auth/actor.js';
import { Prisma } from '../../src/generated/prisma/client.js';
import { ConsoleDashboardService } from '../../src/modules/console/dashboard.service.js';
import {
  AiReplyConsoleService,
  InboundMessageListingService,
  ReplyPolicyListingService,
} from '../../src/modules/inbound/inbound-console.service.js';
import {
  ReplyNotFoundError,
  ReplyNotScheduledError,
} from '../../src/modules/inbound/inbound.errors.js';
import { buildInboundMessage } from '../factories/inbound.js';
import { buildMailbox } from '../factories/mailbox.js';
import { createTestApp, type TestApp } from '../support/app.js';

const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000);
const page = { offset: 0, limit: 100 };
type Seed = Partial<Prisma.InboundMessageUncheckedCreateInput>;

/**
 * The console's AI replies (every workspace), the escalations among inbound messages, the two
 * guard-rail cards of the dashboard and a mailbox's reply policy, against real PostgreSQL:
 * counts are checked against SQL written independently of the services.
 */
describe('AI replies and escalations in the operations console (integration)', () => {
  let t: TestApp;
  let replies: AiReplyConsoleService;
  let messages: InboundMessageListingService;
  const ids: Record<string, string> = {};
  const mailboxes: Record<string, { id: string; workspaceId: string }> = {};

  beforeAll(async () => {
    t = await createTestApp();
    replies = t.app.get(AiReplyConsoleService);
    messages = t.app.get(InboundMessageListingService);
    mailboxes.a = await buildMailbox(t.db.prisma, { workspaceId: 'ws-air-a' });
    mailboxes.b = await buildMailbox(t.db.prisma, { workspaceId: 'ws-air-b' });
    const reply = (mode: string, status: string | null, more: Seed = {}): Seed => ({
      replyMarker: randomUUID(),
      replyMode: mode,
      replyStatus: status,
      replyBookedAt: hoursAgo(1),
      replyText: 'Thanks, here is how to reset it.',
      stage: 'done',
      action: null,
      ...more,
    });
    const seeds: Record<string, [string, Seed]> = {
      review1: ['a', reply('review', 'awaiting_review', { stage: 'awaiting_review' })],
      // Waiting for a person for two days (the oldest: the card links to it).
      review2: [
        'b',
        reply('review', 'awaiting_review', { stage: 'awaiting_review', createdAt: hoursAgo(48) }),
      ],
      scheduled: [
        'a',
        reply('delayed', 'scheduled', { stage: 'replying', nextAttemptAt: hoursAgo(-0.1) }),
      ],
      sent: ['a', reply('send', 'sent', { action: 'replied', replySentAt: hoursAgo(0.5) })],
      // Replies made before reply statuses: derived from the action, as the REST API does.
      legacySent: ['b', reply('send', null, { action: 'replied', replySentAt: hoursAgo(3) })],
      legacyFailed: ['b', reply('send', null, { action: 'failed' })],
      discarded: ['a', reply('review', 'discarded', { action: 'discarded' })],
      cancelled: ['b', reply('delayed', 'cancelled', { action: 'cancelled' })],
      escalated1: [
        'a',
        { action: 'escalated', reason: 'escalated:refund', escalationTopic: 'refund' },
      ],
      escalated2: [
        'b',
        { action: 'escalated', reason: 'escalated:pricing', escalationTopic: 'pricing' },
      ],
      escalatedOld: [
        'a',
        {
          action: 'escalated',
          reason: 'escalated:below_confidence_floor',
          escalationTopic: null,
          processedAt: hoursAgo(30),
        },
      ],
      triaged: ['a', {}],
    };
    for (const [name, [box, seed]] of Object.entries(seeds)) {
      const row = await buildInboundMessage(t.db.prisma, {
        workspaceId: mailboxes[box].workspaceId,
        mailboxId: mailboxes[box].id,
        subject: `Case ${name}`,
        ...seed,
      });
      ids[name] = row.id;
    }
  });
  afterAll(() => t.close());

  const names = (rows: { id: string }[]) =>
    rows.map((r) => Object.keys(ids).find((n) => ids[n] === r.id)).sort();
  const list = async (filters: Record<string, string>) =>
    names(await replies.listing({ filters, ...page }));
  const sqlCount = async (where: Prisma.Sql) =>
    (
      await t.db.prisma.$queryRaw<
        { n: number }[]
      >`SELECT count(*)::int AS n FROM inbound_message WHERE ${where}`
    )[0].n;

  it('lists the messages with an AI reply (every workspace, newest first), never their text', async () => {
    const rows = await replies.listing({ filters: {}, ...page });
    expect(names(rows)).toEqual(
      [
        'cancelled',
        'discarded',
        'legacyFailed',
        'legacySent',
        'review1',
        'review2',
        'scheduled',
        'sent',
      ].sort(),
    );
    const times = rows.map((r) => r.createdAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(await replies.count({})).toBe(await sqlCount(Prisma.sql`reply_marker IS NOT NULL`));
    for (const row of rows) {
      expect(row).not.toHaveProperty('replyText');
      expect(row).not.toHaveProperty('replyMarker');
      expect(row.inboundMessageId).toBe(row.id);
    }
    const scheduled = rows.find((r) => r.id === ids.scheduled);
    expect(scheduled).toMatchObject({ status: 'scheduled', replyMode: 'delayed' });
    expect(scheduled?.sendAt?.getTime()).toBeGreaterThan(Date.now());
    expect(rows.filter((r) => r.sendAt !== null).map((r) => r.id)).toEqual([ids.scheduled]);
    expect(rows.find((r) => r.id === ids.legacySent)?.status).toBe('sent');
    expect(rows.find((r) => r.id === ids.legacyFailed)?.status).toBe('failed');
  });

  it('filters by status (rows made before reply statuses included), mode, mailbox and workspace; counts agree with SQL', async () => {
    const cases: [Record<string, string>, string[], Prisma.Sql][] = [
      [
        { status: 'awaiting_review' },
        ['review1', 'review2'],
        Prisma.sql`reply_marker IS NOT NULL AND reply_status = 'awaiting_review'`,
      ],
      [
        { status: 'sent' },
        ['legacySent', 'sent'],
        Prisma.sql`reply_marker IS NOT NULL AND (reply_status = 'sent' OR (reply_status IS NULL AND action = 'replied'))`,
      ],
      [
        { status: 'failed' },
        ['legacyFailed'],
        Prisma.sql`reply_marker IS NOT NULL AND (reply_status = 'failed' OR (reply_status IS NULL AND action = 'failed'))`,
      ],
      [
        { status: 'scheduled' },
        ['scheduled'],
        Prisma.sql`reply_marker IS NOT NULL AND reply_status = 'scheduled'`,
      ],
      [
        { status: 'discarded' },
        ['discarded'],
        Prisma.sql`reply_marker IS NOT NULL AND reply_status = 'discarded'`,
      ],
      [
        { status: 'cancelled', workspaceId: 'ws-air-b' },
        ['cancelled'],
        Prisma.sql`reply_marker IS NOT NULL AND reply_status = 'cancelled' AND workspace_id = 'ws-air-b'`,
      ],
      [
        { replyMode: 'review' },
        ['discarded', 'review1', 'review2'],
        Prisma.sql`reply_marker IS NOT NULL AND reply_mode = 'review'`,
      ],
      [
        { mailboxId: mailboxes.a.id, status: 'awaiting_review' },
        ['review1'],
        Prisma.sql`reply_marker IS NOT NULL AND reply_status = 'awaiting_review' AND mailbox_id = ${mailboxes.a.id}`,
      ],
      [
        { status: 'sending' },
        [],
        Prisma.sql`reply_marker IS NOT NULL AND reply_status = 'sending'`,
      ],
    ];
    for (const [filters, expected, where] of cases) {
      expect([filters, await list(filters)]).toEqual([filters, expected.sort()]);
      expect([filters, await replies.count(filters)]).toEqual([filters, await sqlCount(where)]);
      expect(expected.length).toBe(await sqlCount(where));
    }
    // A status that does not exist, or a list where one value is expected: nothing, no error.
    expect(await list({ status: 'approved-ish' })).toEqual([]);
    expect(await replies.count({ status: 'approved-ish' })).toBe(0);
    expect(await replies.count({ status: ['sent', 'failed'] } as never)).toBe(0);
    expect(await list({ replyMode: 'auto' })).toEqual([]);
  });

  it('inbound messages: escalations with their topic, the new stages and actions are filterable', async () => {
    const listed = async (filters: Record<string, string>) =>
      names(await messages.listing({ filters, ...page }));
    expect(await listed({ action: 'escalated' })).toEqual([
      'escalated1',
      'escalated2',
      'escalatedOld',
    ]);
    expect(await listed({ escalationTopic: 'refund' })).toEqual(['escalated1']);
    expect(await listed({ action: 'escalated', workspaceId: 'ws-air-b' })).toEqual(['escalated2']);
    expect(await listed({ stage: 'awaiting_review' })).toEqual(['review1', 'review2']);
    expect(await listed({ action: 'cancelled' })).toEqual(['cancelled']);
    expect(await listed({ action: 'discarded' })).toEqual(['discarded']);
    expect(await messages.count({ action: 'escalated' })).toBe(
      await sqlCount(Prisma.sql`action = 'escalated'`),
    );
    const [row] = await messages.listing({ filters: { id: ids.escalated1 }, ...page });
    expect(row).toMatchObject({
      action: 'escalated',
      reason: 'escalated:refund',
      escalationTopic: 'refund',
      replyStatus: 'none',
      aiReplyId: null,
    });
    const [review] = await messages.listing({ filters: { id: ids.review1 }, ...page });
    expect(review).toMatchObject({ replyStatus: 'awaiting_review', aiReplyId: ids.review1 });
    expect(review).not.toHaveProperty('replyText');
  });

  it('the two guard-rail cards count what their lists show, and SQL agrees', async () => {
    const now = new Date();
    const { cards } = await t.app.get(ConsoleDashboardService).dashboard(now);
    const since = new Date(now.getTime() - 24 * 3600_000);
    const review = cards.find((c) => c.key === 'ai-replies-awaiting-review');
    expect(review).toEqual({
      key: 'ai-replies-awaiting-review',
      label: 'AI replies awaiting review',
      count: await sqlCount(
        Prisma.sql`reply_marker IS NOT NULL AND reply_status = 'awaiting_review'`,
      ),
      href: '/admin/resources/ai_replies?filters.status=awaiting_review',
      // The oldest has waited two days: red, linked.
      tone: 'bad',
      detail: expect.stringMatching(/^oldest waiting 2 d 0 h$/),
      detailHref: `/admin/resources/ai_replies/records/${ids.review2}/show`,
    });
    expect(review?.count).toBe(2);
    const escalated = cards.find((c) => c.key === 'escalated-24h');
    const n = await sqlCount(Prisma.sql`action = 'escalated' AND processed_at >= ${since}`);
    expect(n).toBe(2);
    expect(escalated).toEqual({
      key: 'escalated-24h',
      label: 'Escalated in the last 24 h',
      count: n,
      tone: 'warn',
      href: `/admin/resources/inbound_messages?filters.action=escalated&filters.processedAt%7E%7Efrom=${encodeURIComponent(since.toISOString())}`,
    });
    expect(
      await messages.count({ action: 'escalated', processedAt: { from: since.toISOString() } }),
    ).toBe(n);
  });

  it('cancel by staff: AiReplyService’s own cancel (only in the row’s workspace, only while scheduled), audited as staff', async () => {
    const staffId = randomUUID();
    const staff = (workspaceId: string): Actor => ({ userId: staffId, workspaceId, kind: 'staff' });
    await expect(replies.cancel(staff('ws-air-b'), ids.scheduled)).rejects.toBeInstanceOf(
      ReplyNotFoundError,
    );
    await replies.cancel(staff('ws-air-a'), ids.scheduled);
    expect(
      await t.db.prisma.inboundMessage.findUniqueOrThrow({ where: { id: ids.scheduled } }),
    ).toMatchObject({ stage: 'done', action: 'cancelled', replyStatus: 'cancelled' });
    expect(await list({ status: 'scheduled' })).toEqual([]);
    await expect(replies.cancel(staff('ws-air-a'), ids.scheduled)).rejects.toBeInstanceOf(
      ReplyNotScheduledError,
    );
    const audit = await t.db.prisma.auditLog.findMany({
      where: { targetId: ids.scheduled, action: { startsWith: 'inbound.reply' } },
    });
    // One row: the refused attempts wrote none.
    expect(audit).toEqual([
      expect.objectContaining({
        workspaceId: 'ws-air-a',
        actorType: 'staff',
        actorId: staffId,
        action: 'inbound.reply_cancelled',
        targetType: 'inbound_message',
        metadata: { mailboxId: mailboxes.a.id, replyMode: 'delayed', status: 'cancelled' },
      }),
    ]);
  });

  it('a mailbox’s reply policy: its own row, the pre-reply-modes defaults, or none', async () => {
    const stored = await buildMailbox(t.db.prisma, { workspaceId: 'ws-air-a' });
    await t.db.prisma.inboundReplyPolicy.create({
      data: {
        mailboxId: stored.id,
        workspaceId: 'ws-air-a',
        replyMode: 'delayed',
        undoWindowSec: 120,
        dailyReplyCap: 15,
        escalationTopics: [{ topic: 'legal', phrases: ['lawyer'] }],
        confidenceFloor: 0.8,
        businessHours: {
          timeZone: 'Europe/Paris',
          days: [1, 2, 3, 4, 5],
          start: '09:00',
          end: '18:00',
        },
      },
    });
    const views = await t.app.get(ReplyPolicyListingService).forMailboxes([
      { id: stored.id, inboundEnabled: true },
      { id: mailboxes.a.id, inboundEnabled: true },
      { id: mailboxes.b.id, inboundEnabled: false },
    ]);
    expect(views.get(stored.id)).toEqual({
      source: 'stored',
      policy: {
        replyMode: 'delayed',
        undoWindowSec: 120,
        dailyReplyCap: 15,
        escalationTopics: [{ topic: 'legal', phrases: ['lawyer'] }],
        confidenceFloor: 0.8,
        businessHours: {
          timeZone: 'Europe/Paris',
          days: [1, 2, 3, 4, 5],
          start: '09:00',
          end: '18:00',
        },
      },
    });
    expect(views.get(mailboxes.a.id)).toMatchObject({
      source: 'defaults',
      policy: { replyMode: 'send', dailyReplyCap: 50, undoWindowSec: 300, businessHours: null },
    });
    expect(views.get(mailboxes.b.id)).toEqual({ source: 'none', policy: null });
  });
});
