import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { createApp } from '../../src/app.factory.js';
import {
  type Booking,
  ReplyService,
  type ReplyRequest,
} from '../../src/modules/outbound/reply.service.js';
import { buildMailbox } from '../factories/mailbox.js';
import { createTestApp, type TestApp } from '../support/app.js';

const WORKSPACE = 'ws-reply-booking';

/**
 * Booking an AI reply's slot (ReplyService.reserve) and recording it sent (recordSent) on two
 * application instances sharing one PostgreSQL: each runs in one transaction under the
 * mailbox's lock, so a key is booked once, the per-mailbox window is never exceeded, and the
 * `outbound.message-sent` event is written once however often the send is recorded.
 */
describe('AI reply booking on two instances (integration)', () => {
  let t: TestApp;
  let second: INestApplication;
  let services: ReplyService[];
  let mailbox: Awaited<ReturnType<typeof buildMailbox>>;

  beforeAll(async () => {
    t = await createTestApp({ OUTBOUND_MAILBOX_MESSAGES_PER_WINDOW: '3' });
    second = await createApp(t.db.config);
    await second.init();
    services = [t.app.get(ReplyService), second.get(ReplyService)];
    mailbox = await buildMailbox(t.db.prisma, { workspaceId: WORKSPACE });
  });
  afterAll(async () => {
    await second?.close();
    await t?.close();
  });

  const request = (key: string): ReplyRequest => ({
    key,
    workspaceId: WORKSPACE,
    mailbox: {
      id: mailbox.id,
      tenantId: mailbox.tenantId,
      msUserId: mailbox.msUserId,
      connectionType: mailbox.connectionType,
      email: mailbox.email,
    },
    identityId: randomUUID(),
    graphMessageId: `graph-${key}`,
    to: { email: 'lee@customer.example', name: 'Lee' },
    subject: 'Re: Login problem',
    text: 'Hello Lee',
    marker: randomUUID(),
    headers: [],
  });
  const booked = (b: Booking) => ('outboundMessageId' in b ? b.outboundMessageId : null);

  it('one key asked for six times at once on both instances is booked once', async () => {
    const key = randomUUID();
    const bookings = await Promise.all(
      [0, 1, 2, 3, 4, 5].map((i) => services[i % 2].reserve(request(key), randomUUID())),
    );
    const ids = new Set(bookings.map(booked));
    expect(ids.size).toBe(1);
    expect([...ids][0]).not.toBeNull();
    const rows = await t.db.prisma.outboundMessage.findMany({
      where: { workspaceId: WORKSPACE, idempotencyKey: `inbound-reply:${key}` },
    });
    expect(rows.map((r) => r.id)).toEqual([...ids]);
    // Listed as a reply (GET /v1/messages, the console's filter), not as outreach.
    expect(rows.map((r) => r.isReply)).toEqual([true]);
  });

  it('eight different replies at once never exceed the window (3, one already booked above)', async () => {
    const bookings = await Promise.all(
      [0, 1, 2, 3, 4, 5, 6, 7].map((i) =>
        services[i % 2].reserve(request(randomUUID()), randomUUID()),
      ),
    );
    const ok = bookings.filter((b) => booked(b) !== null);
    const waiting = bookings.filter((b) => 'retryAt' in b);
    expect(ok).toHaveLength(2);
    expect(waiting).toHaveLength(6);
    for (const b of waiting)
      expect((b as { retryAt: Date }).retryAt.getTime()).toBeGreaterThan(Date.now());
    await expect(
      t.db.prisma.outboundMessage.count({ where: { mailboxId: mailbox.id } }),
    ).resolves.toBe(3);
  });

  it('a reply recorded sent four times at once (both instances) is sent once, one event', async () => {
    const [row] = await t.db.prisma.outboundMessage.findMany({
      where: { mailboxId: mailbox.id },
      take: 1,
    });
    await Promise.all(
      [0, 1, 2, 3].map((i) =>
        services[i % 2].recordSent(row.id, {
          internetMessageId: '<reply@contoso.test>',
          conversationId: 'conv-1',
        }),
      ),
    );
    const after = await t.db.prisma.outboundMessage.findUniqueOrThrow({ where: { id: row.id } });
    expect(after.sentAt).not.toBeNull();
    expect(after.internetMessageId).toBe('<reply@contoso.test>');
    const events = await t.db.prisma.outboxEvent.findMany({
      where: { name: 'outbound.message-sent' },
    });
    expect(
      events.filter((e) => (e.payload as { messageId: string }).messageId === row.id),
    ).toHaveLength(1);
  });
});
