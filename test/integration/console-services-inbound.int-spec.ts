import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ConsoleDashboardService } from '../../src/modules/console/dashboard.service.js';
import {
  InboundMessageListingService,
  InboundSubscriptionListingService,
} from '../../src/modules/inbound/inbound-console.service.js';
import { buildInboundMessage, buildInboundSubscription } from '../factories/inbound.js';
import { buildMailbox } from '../factories/mailbox.js';
import { createTestApp, type TestApp } from '../support/app.js';

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);
const page = { offset: 0, limit: 100 };

describe('inbound reads of the operations console (integration, real PostgreSQL)', () => {
  let t: TestApp;
  const mailboxIds: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp();
    await t.db.prisma.inboundSubscription.deleteMany();
    const cases = {
      healthy: {},
      polling: { mode: 'polling' as const, graphSubscriptionId: null, expiresAt: null },
      errorAfterCatchUp: {
        lastError: 'graph_503',
        lastErrorAt: minutesAgo(1),
        lastCatchUpAt: minutesAgo(10),
      },
      errorNeverCaughtUp: {
        lastError: 'delta_gone',
        lastErrorAt: minutesAgo(1),
        lastCatchUpAt: null,
      },
      // A catch-up worked after the error was recorded (the error is history).
      errorBeforeCatchUp: {
        lastError: 'graph_503',
        lastErrorAt: minutesAgo(10),
        lastCatchUpAt: minutesAgo(1),
      },
      paused: {
        state: 'paused' as const,
        lastError: 'mailbox_needs_reauth',
        lastErrorAt: minutesAgo(5),
        lastCatchUpAt: minutesAgo(60),
      },
      expired: { expiresAt: minutesAgo(30) },
      // Graph's subscription was deleted on purpose: nothing is expected from it.
      stoppedWithError: {
        state: 'stopped' as const,
        lastError: 'graph_503',
        lastErrorAt: minutesAgo(1),
        expiresAt: minutesAgo(30),
      },
      pollingPastExpiry: { mode: 'polling' as const, expiresAt: minutesAgo(30) },
    };
    for (const [name, overrides] of Object.entries(cases)) {
      const mailbox = await buildMailbox(t.db.prisma, { workspaceId: `ws-in-${name.length % 2}` });
      mailboxIds[name] = mailbox.id;
      await buildInboundSubscription(t.db.prisma, {
        mailboxId: mailbox.id,
        workspaceId: mailbox.workspaceId,
        ...overrides,
      });
    }
  });
  afterAll(() => t.close());

  const failingNames = ['errorAfterCatchUp', 'errorNeverCaughtUp', 'paused', 'expired'];
  const ids = (names: string[]) => names.map((n) => mailboxIds[n]).sort();

  it('lists failing subscriptions: an error newer than the last catch-up, or an expired Graph subscription', async () => {
    const subscriptions = t.app.get(InboundSubscriptionListingService);
    const failing = await subscriptions.listing({ filters: { failing: 'true' }, ...page });
    expect(failing.map((r) => r.mailboxId).sort()).toEqual(ids(failingNames));
    expect(await subscriptions.count({ failing: 'true' })).toBe(failingNames.length);
    const healthy = await subscriptions.listing({ filters: { failing: 'false' }, ...page });
    const others = Object.keys(mailboxIds).filter((n) => !failingNames.includes(n));
    expect(healthy.map((r) => r.mailboxId).sort()).toEqual(ids(others));
    expect(await subscriptions.count({ failing: 'false' })).toBe(others.length);
    // The row's own column says the same as the SQL filter.
    const all = await subscriptions.listing({ filters: {}, ...page });
    for (const row of all)
      expect([row.mailboxId, row.failing]).toEqual([
        row.mailboxId,
        failingNames.some((n) => mailboxIds[n] === row.mailboxId),
      ]);
    const byId = new Map(all.map((row) => [row.mailboxId, row]));
    expect(byId.get(mailboxIds.expired)?.failure).toBe('expired');
    expect(byId.get(mailboxIds.paused)?.failure).toBe('error');
    expect(await subscriptions.count({ failing: 'maybe' })).toBe(0);
  });

  it('never reads the clientState hash or the delta link; finds a row by its mailbox id', async () => {
    const subscriptions = t.app.get(InboundSubscriptionListingService);
    await t.db.prisma.inboundSubscription.update({
      where: { mailboxId: mailboxIds.healthy },
      data: { deltaLink: 'https://graph.test/delta?$deltatoken=secret' },
    });
    const [row] = await subscriptions.listing({ filters: { id: mailboxIds.healthy }, ...page });
    expect(row).toMatchObject({ id: mailboxIds.healthy, hasDeltaPosition: true, failing: false });
    expect(Object.keys(row)).not.toEqual(
      expect.arrayContaining([expect.stringMatching(/clientState|deltaLink|locked/)]),
    );
    expect(JSON.stringify(row)).not.toContain('deltatoken');
    const many = await subscriptions.listing({
      filters: { id: [mailboxIds.healthy, mailboxIds.paused] },
      ...page,
    });
    expect(many).toHaveLength(2);
  });

  it('the dashboard card counts the failing subscriptions and links to that list', async () => {
    const dashboard = await t.app.get(ConsoleDashboardService).dashboard();
    const card = dashboard.cards.find((c) => c.key === 'failing-subscriptions');
    // Counted independently of the service, in SQL.
    const [{ n }] = await t.db.prisma.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM inbound_subscription
       WHERE state <> 'stopped'
         AND ((last_error IS NOT NULL
               AND (last_error_at IS NULL OR last_catch_up_at IS NULL OR last_error_at >= last_catch_up_at))
           OR (state = 'active' AND mode = 'notifications' AND graph_subscription_id IS NOT NULL
               AND expires_at < now()))`;
    expect(card).toMatchObject({
      count: n,
      tone: 'bad',
      href: '/admin/resources/inbound_subscriptions?filters.failing=true',
    });
    expect(n).toBe(failingNames.length);
  });

  it('lists inbound messages with their decisions, filtered by workspace, mailbox, stage, action and category', async () => {
    const messages = t.app.get(InboundMessageListingService);
    const a = await buildMailbox(t.db.prisma, { workspaceId: 'ws-msg-a' });
    const b = await buildMailbox(t.db.prisma, { workspaceId: 'ws-msg-b' });
    const replied = await buildInboundMessage(t.db.prisma, {
      mailboxId: a.id,
      workspaceId: a.workspaceId,
      category: 'question',
      action: 'replied',
      reason: 'answered',
      replyMarker: 'marker-1',
      replyBookedAt: minutesAgo(3),
      replySentAt: minutesAgo(2),
      replyText: 'The reply body',
      receivedAt: minutesAgo(30),
    });
    const triaged = await buildInboundMessage(t.db.prisma, {
      mailboxId: a.id,
      workspaceId: a.workspaceId,
      receivedAt: minutesAgo(20),
    });
    const pending = await buildInboundMessage(t.db.prisma, {
      mailboxId: b.id,
      workspaceId: b.workspaceId,
      stage: 'replying',
      action: null,
      replyBookedAt: minutesAgo(1),
      lockedBy: 'worker-1',
    });
    const list = (filters: Record<string, string>) =>
      messages
        .listing({ filters, sort: { field: 'receivedAt', direction: 'asc' }, ...page })
        .then((rows) => rows.map((r) => r.id));
    expect(await list({ workspaceId: 'ws-msg-a' })).toEqual([replied.id, triaged.id]);
    expect(await list({ mailboxId: b.id })).toEqual([pending.id]);
    expect(await list({ workspaceId: 'ws-msg-a', action: 'replied' })).toEqual([replied.id]);
    expect(await list({ workspaceId: 'ws-msg-a', category: 'lead' })).toEqual([triaged.id]);
    expect(await list({ mailboxId: b.id, stage: 'replying' })).toEqual([pending.id]);
    expect(await list({ stage: 'nonsense' })).toEqual([]);
    expect(await messages.count({ workspaceId: 'ws-msg-a' })).toBe(2);

    const [row] = await messages.listing({ filters: { id: replied.id }, ...page });
    expect(row).toMatchObject({
      category: 'question',
      intent: 'book_demo',
      confidence: 0.92,
      summary: 'Asks for a product demo next week.',
      provider: 'rules',
      action: 'replied',
      reason: 'answered',
      stage: 'done',
      replyStatus: 'sent',
      replyMarker: 'marker-1',
      mailboxId: a.id,
      workspaceId: 'ws-msg-a',
    });
    expect(row).not.toHaveProperty('replyText');
    expect(row).not.toHaveProperty('lockedBy');
    const [booked] = await messages.listing({ filters: { id: pending.id }, ...page });
    expect(booked.replyStatus).toBe('booked');
  });
});
