import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { Actor } from '../../src/common/auth/actor.js';
import { ConsoleDashboardService } from '../../src/modules/console/dashboard.service.js';
import { SuppressionListingService } from '../../src/modules/outbound/suppression-console.service.js';
import { SuppressionNotFoundError } from '../../src/modules/outbound/suppression.errors.js';
import { SuppressionService } from '../../src/modules/outbound/suppression.service.js';
import { buildInboundMessage } from '../factories/inbound.js';
import { buildMailbox } from '../factories/mailbox.js';
import { createTestApp, type TestApp } from '../support/app.js';

const page = { offset: 0, limit: 100 };

/**
 * The console's view of the suppression lists (every workspace) and its one action, removal,
 * through the same SuppressionService the REST DELETE /v1/suppressions/:id uses.
 */
describe('suppressions in the operations console (integration, real PostgreSQL)', () => {
  let t: TestApp;
  let listing: SuppressionListingService;
  let suppressions: SuppressionService;
  let bounceMessageId: string;
  const user = (workspaceId: string): Actor => ({ userId: 'u-1', workspaceId });
  const staff = (workspaceId: string, id = randomUUID()): Actor => ({
    userId: id,
    workspaceId,
    kind: 'staff',
  });

  beforeAll(async () => {
    t = await createTestApp();
    listing = t.app.get(SuppressionListingService);
    suppressions = t.app.get(SuppressionService);
    const mailbox = await buildMailbox(t.db.prisma, { workspaceId: 'ws-sup-a' });
    const bounce = await buildInboundMessage(t.db.prisma, {
      mailboxId: mailbox.id,
      workspaceId: 'ws-sup-a',
    });
    bounceMessageId = bounce.id;
    await suppressions.addDetected('ws-sup-a', 'Bounced@Example.com', 'hard_bounce', bounce.id);
    await suppressions.addDetected('ws-sup-a', 'optout@example.com', 'unsubscribe', bounce.id);
    await suppressions.addManual(user('ws-sup-a'), 'manual@example.com', 'asked by phone');
    await suppressions.addManual(user('ws-sup-b'), 'manual@example.com', null);
    // Suppressed two days ago: on the list, not in the last 24 h.
    const old = await suppressions.addManual(user('ws-sup-b'), 'old@example.com', null);
    await t.db.prisma.suppression.update({
      where: { id: old.row.id },
      data: { createdAt: new Date(Date.now() - 48 * 3600_000) },
    });
  });
  afterAll(() => t.close());

  const emails = async (filters: Record<string, string>) =>
    (await listing.listing({ filters, ...page })).map((r) => `${r.workspaceId}:${r.email}`).sort();

  it('lists every workspace’s suppressions, newest first, with the inbound message they came from', async () => {
    const rows = await listing.listing({ filters: {}, ...page });
    expect(rows).toHaveLength(5);
    expect(await listing.count({})).toBe(5);
    const times = rows.map((r) => r.createdAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(rows.find((r) => r.email === 'bounced@example.com')).toMatchObject({
      workspaceId: 'ws-sup-a',
      reason: 'hard_bounce',
      source: `inbound:${bounceMessageId}`,
      inboundMessageId: bounceMessageId,
      note: null,
    });
    expect(rows.find((r) => r.note === 'asked by phone')).toMatchObject({
      reason: 'manual',
      source: 'api',
      inboundMessageId: null,
    });
  });

  it('filters by workspace, reason, source and address (case-insensitive substring)', async () => {
    expect(await emails({ workspaceId: 'ws-sup-b' })).toEqual([
      'ws-sup-b:manual@example.com',
      'ws-sup-b:old@example.com',
    ]);
    expect(await emails({ reason: 'unsubscribe' })).toEqual(['ws-sup-a:optout@example.com']);
    expect(await emails({ source: 'inbound:' })).toEqual([
      'ws-sup-a:bounced@example.com',
      'ws-sup-a:optout@example.com',
    ]);
    expect(await emails({ email: 'MANUAL' })).toEqual([
      'ws-sup-a:manual@example.com',
      'ws-sup-b:manual@example.com',
    ]);
    expect(await listing.count({ email: 'manual', workspaceId: 'ws-sup-a' })).toBe(1);
    // A reason that does not exist matches nothing (no query, no error).
    expect(await emails({ reason: 'vip' })).toEqual([]);
    expect(await listing.count({ reason: 'vip' })).toBe(0);
  });

  it('removal by staff: through SuppressionService, only in the row’s workspace, audited as staff', async () => {
    const [row] = await listing.listing({ filters: { email: 'optout@' }, ...page });
    const staffId = randomUUID();
    const eventsBefore = await t.db.prisma.outboxEvent.count();
    await expect(suppressions.remove(staff('ws-sup-b', staffId), row.id)).rejects.toBeInstanceOf(
      SuppressionNotFoundError,
    );
    expect(await listing.count({ id: row.id })).toBe(1);

    await suppressions.remove(staff('ws-sup-a', staffId), row.id);
    expect(await listing.count({ id: row.id })).toBe(0);
    // The address may be written to again: the screen no longer drops it.
    const screened = await suppressions.screen('ws-sup-a', {
      to: [{ email: 'optout@example.com' }],
      cc: [],
      bcc: [],
    });
    expect(screened.dropped).toEqual([]);
    const audit = await t.db.prisma.auditLog.findMany({
      where: { action: 'outbound.suppression_removed', targetId: row.id },
    });
    expect(audit).toEqual([
      expect.objectContaining({
        workspaceId: 'ws-sup-a',
        actorType: 'staff',
        actorId: staffId,
        targetType: 'suppression',
        metadata: { reason: 'unsubscribe', source: `inbound:${bounceMessageId}` },
      }),
    ]);
    // The REST DELETE emits no event; neither does the console's removal.
    expect(await t.db.prisma.outboxEvent.count()).toBe(eventsBefore);
    await expect(suppressions.remove(staff('ws-sup-a'), row.id)).rejects.toBeInstanceOf(
      SuppressionNotFoundError,
    );
  });

  it('a workspace user’s removal is still audited as a user', async () => {
    const [row] = await listing.listing({
      filters: { email: 'manual@', workspaceId: 'ws-sup-b' },
      ...page,
    });
    await suppressions.remove(user('ws-sup-b'), row.id);
    const audit = await t.db.prisma.auditLog.findMany({
      where: { action: 'outbound.suppression_removed', targetId: row.id },
    });
    expect(audit.map((a) => [a.actorType, a.actorId])).toEqual([['user', 'u-1']]);
  });

  it('the dashboard card counts the suppressions of the last 24 h and links to that list', async () => {
    const now = new Date();
    const dashboard = await t.app.get(ConsoleDashboardService).dashboard(now);
    const card = dashboard.cards.find((c) => c.key === 'suppressed-24h');
    const [{ n }] = await t.db.prisma.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM suppression
       WHERE created_at >= ${new Date(now.getTime() - 24 * 3600_000)}`;
    expect(n).toBe(2);
    const since = encodeURIComponent(new Date(now.getTime() - 24 * 3600_000).toISOString());
    expect(card).toEqual({
      key: 'suppressed-24h',
      label: 'Suppressed in the last 24 h',
      count: n,
      tone: 'warn',
      href: `/admin/resources/suppressions?filters.createdAt%7E%7Efrom=${since}`,
    });
  });
});
