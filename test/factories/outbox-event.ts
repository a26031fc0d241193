import type { PrismaService } from '../../src/common/database/prisma.service.js';
import type { DomainEventMap, DomainEventName } from '../../src/common/events/event-map.js';

/** Inserts `count` pending events in one statement (payloads from `payloadOf(i)`). */
export async function buildOutboxEvents<K extends DomainEventName>(
  db: PrismaService,
  name: K,
  count: number,
  payloadOf: (i: number) => DomainEventMap[K],
): Promise<number> {
  const data = Array.from({ length: count }, (_, i) => ({ name, payload: payloadOf(i) as object }));
  const result = await db.outboxEvent.createMany({ data });
  return result.count;
}
