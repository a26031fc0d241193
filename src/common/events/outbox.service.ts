import { Injectable } from '@nestjs/common';
import type { Tx } from '../database/transaction.js';
import type { Prisma } from '../../generated/prisma/client.js';
import type { DomainEventMap, DomainEventName } from './event-map.js';

/** Records domain events in the caller's transaction; the relay delivers them after commit. */
@Injectable()
export class OutboxService {
  async record<K extends DomainEventName>(
    tx: Tx,
    name: K,
    payload: DomainEventMap[K],
  ): Promise<string> {
    const row = await tx.outboxEvent.create({
      data: { name, payload: payload as Prisma.InputJsonValue },
      select: { id: true },
    });
    return row.id;
  }

  /** Several events of one kind in one statement (same transaction semantics as record). */
  async recordMany<K extends DomainEventName>(
    tx: Tx,
    name: K,
    payloads: DomainEventMap[K][],
  ): Promise<void> {
    if (payloads.length === 0) return;
    await tx.outboxEvent.createMany({
      data: payloads.map((payload) => ({ name, payload: payload as Prisma.InputJsonValue })),
    });
  }
}
