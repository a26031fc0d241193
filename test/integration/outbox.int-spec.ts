import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { Injectable, type INestApplication, Module } from '@nestjs/common';
import { createApp } from '../../src/app.factory.js';
import type { EventMeta } from '../../src/common/events/event-map.js';
import { OnDomainEvent } from '../../src/common/events/on-domain-event.js';
import { OutboxRelay } from '../../src/common/events/outbox-relay.js';
import { OutboxService } from '../../src/common/events/outbox.service.js';
import { buildOutboxEvents } from '../factories/outbox-event.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

declare module '../../src/common/events/event-map.js' {
  interface DomainEventMap {
    'test.happened': { n: number; fail?: boolean };
  }
}

/** Records deliveries and proves no event is ever handled by two relays at the same time. */
class Deliveries {
  readonly count = new Map<string, number>();
  readonly inFlight = new Set<string>();
  overlaps = 0;
}
const deliveries = new Deliveries();

@Injectable()
class ProbeListener {
  @OnDomainEvent('test.happened')
  async handle(payload: { n: number; fail?: boolean }, meta: EventMeta): Promise<void> {
    if (deliveries.inFlight.has(meta.eventId)) deliveries.overlaps += 1;
    deliveries.inFlight.add(meta.eventId);
    await new Promise((resolve) => setImmediate(resolve));
    deliveries.inFlight.delete(meta.eventId);
    if (payload.fail) throw new Error(`listener refused event ${payload.n}`);
    deliveries.count.set(meta.eventId, (deliveries.count.get(meta.eventId) ?? 0) + 1);
  }
}

@Module({ providers: [ProbeListener] })
class ProbeModule {}

describe('outbox and relay (integration)', () => {
  let db: TestDatabase;
  let apps: INestApplication[];

  beforeAll(async () => {
    db = await createTestDatabase({ OUTBOX_MAX_ATTEMPTS: '3' });
    apps = [await createApp(db.config, [ProbeModule]), await createApp(db.config, [ProbeModule])];
    await Promise.all(apps.map((app) => app.init()));
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await db.drop();
  });
  beforeEach(async () => {
    await db.prisma.outboxEvent.deleteMany();
    deliveries.count.clear();
    deliveries.overlaps = 0;
  });

  const outbox = () => apps[0].get(OutboxService);
  const relay = (i: number) => apps[i].get(OutboxRelay);

  it('never delivers an event recorded in a rolled-back transaction', async () => {
    await expect(
      db.prisma.$transaction(async (tx) => {
        await outbox().record(tx, 'test.happened', { n: 1 });
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    const result = await relay(0).relayOnce();
    expect(result.claimed).toBe(0);
    expect(await db.prisma.outboxEvent.count()).toBe(0);
    expect(deliveries.count.size).toBe(0);
  });

  it('delivers a committed event once and marks it published', async () => {
    const id = await db.prisma.$transaction((tx) => outbox().record(tx, 'test.happened', { n: 2 }));
    expect(await relay(0).relayOnce()).toMatchObject({ claimed: 1, published: 1 });
    expect(await relay(0).relayOnce()).toMatchObject({ claimed: 0 });
    const row = await db.prisma.outboxEvent.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: 'published', attempts: 0, lockedBy: null });
    expect(row.publishedAt).toBeInstanceOf(Date);
    expect(deliveries.count.get(id)).toBe(1);
  });

  it('leaves an event whose listener throws unpublished, with attempts = 1 and the error', async () => {
    const id = await db.prisma.$transaction((tx) =>
      outbox().record(tx, 'test.happened', { n: 3, fail: true }),
    );
    expect(await relay(0).relayOnce()).toMatchObject({ claimed: 1, failed: 1 });
    const row = await db.prisma.outboxEvent.findUniqueOrThrow({ where: { id } });
    expect(row.status).toBe('pending');
    expect(row.attempts).toBe(1);
    expect(row.lastError).toContain('listener refused event 3');
    expect(row.publishedAt).toBeNull();
    expect(row.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());
    // Not due yet: backoff holds it back.
    expect(await relay(0).relayOnce()).toMatchObject({ claimed: 0 });
  });

  it('parks an event after the configured number of attempts', async () => {
    const id = await db.prisma.$transaction((tx) =>
      outbox().record(tx, 'test.happened', { n: 4, fail: true }),
    );
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      await db.prisma.outboxEvent.update({ where: { id }, data: { nextAttemptAt: new Date(0) } });
      await relay(0).relayOnce();
    }
    const row = await db.prisma.outboxEvent.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: 'parked', attempts: 3 });
    await db.prisma.outboxEvent.update({ where: { id }, data: { nextAttemptAt: new Date(0) } });
    expect(await relay(0).relayOnce()).toMatchObject({ claimed: 0 });
  });

  it('two relays at once deliver each of 1,000 events exactly once, never concurrently', async () => {
    expect(await buildOutboxEvents(db.prisma, 'test.happened', 1000, (n) => ({ n }))).toBe(1000);
    const drain = async (i: number) => {
      for (;;) {
        const result = await relay(i).relayOnce(25);
        if (result.claimed === 0) return;
      }
    };
    await Promise.all([drain(0), drain(1)]);
    expect(deliveries.count.size).toBe(1000);
    expect([...deliveries.count.values()].every((n) => n === 1)).toBe(true);
    expect(deliveries.overlaps).toBe(0);
    expect(await db.prisma.outboxEvent.count({ where: { status: 'published' } })).toBe(1000);
  });
});
