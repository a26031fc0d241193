import { Injectable, Logger } from '@nestjs/common';
import { type AuditEntry, AuditService } from '../audit/audit.service.js';
import {
  isUuid,
  Listing,
  type ListingFields,
  type ListingFilters,
  type ListingQuery,
} from '../database/listing.js';
import { PrismaService } from '../database/prisma.service.js';
import type { Tx } from '../database/transaction.js';
import { DomainError, NotFoundError } from '../errors/domain-error.js';
import { Prisma as PrismaSql, type Prisma } from '../../generated/prisma/client.js';
import type { DomainEventMap, DomainEventName } from './event-map.js';

/** An outbox event as the operations console lists it. */
export interface OutboxEventListing {
  id: string;
  name: string;
  payload: unknown;
  status: 'pending' | 'published' | 'parked';
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  createdAt: Date;
  publishedAt: Date | null;
}

export class EventNotParkedError extends DomainError {
  constructor() {
    super('event_not_parked', 409, 'Only a parked event can be retried.');
  }
}

const LISTING_FIELDS: ListingFields = {
  id: { kind: 'uuid' },
  name: { kind: 'contains' },
  status: { kind: 'enum', values: ['pending', 'published', 'parked'] },
  attempts: { kind: 'number' },
  nextAttemptAt: { kind: 'date' },
  createdAt: { kind: 'date' },
  publishedAt: { kind: 'date' },
};

const LISTING = new Listing<Prisma.OutboxEventWhereInput>(LISTING_FIELDS, {
  field: 'createdAt',
  direction: 'desc',
});

const LISTING_SELECT = {
  id: true,
  name: true,
  payload: true,
  status: true,
  attempts: true,
  nextAttemptAt: true,
  lastError: true,
  createdAt: true,
  publishedAt: true,
} as const;

/** Records domain events in the caller's transaction; the relay delivers them after commit. */
@Injectable()
export class OutboxService {
  private readonly logger = new Logger(OutboxService.name);

  constructor(
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
  ) {}

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

  /**
   * The events of a writing statement, to run in that same statement (atomic on its own, no
   * transaction round trips): an INSERT of one event per payload whose `key` is among the `id`s
   * the CTE named `done` returned. The caller's statement is `WITH done AS (… RETURNING id)`
   * followed by this fragment. Rows the statement did not write get no event.
   */
  eventsOfDone<K extends DomainEventName>(
    name: K,
    payloads: { key: string; payload: DomainEventMap[K] }[],
  ): Prisma.Sql {
    const json = JSON.stringify(payloads);
    return PrismaSql.sql`
      INSERT INTO outbox_event (id, name, payload)
      SELECT gen_random_uuid(), ${name}, e.payload
        FROM jsonb_to_recordset(${json}::jsonb) AS e(key text, payload jsonb)
        JOIN done ON done.id = e.key`;
  }

  /**
   * An operator's retry of a parked event: pending again with a fresh attempt budget, due now;
   * the relay delivers it to its listeners (which are idempotent) on its next run.
   */
  async retryParked(id: string, by: AuditEntry['actor']): Promise<void> {
    if (!isUuid(id)) throw new NotFoundError('event');
    const name = await this.prisma.$transaction(async (tx) => {
      const [row] = await tx.$queryRaw<{ name: string; status: string }[]>`
        SELECT name, status::text AS status FROM outbox_event WHERE id = ${id}::uuid FOR UPDATE`;
      if (!row) throw new NotFoundError('event');
      if (row.status !== 'parked') throw new EventNotParkedError();
      await tx.outboxEvent.update({
        where: { id },
        data: { status: 'pending', attempts: 0, nextAttemptAt: new Date(), lockedUntil: null },
      });
      await this.audit.record(tx, {
        actor: by,
        action: 'outbox.event_retried',
        target: { type: 'outbox_event', id },
        metadata: { event: row.name },
      });
      return row.name;
    });
    this.logger.log({ eventId: id, event: name }, 'parked event queued again by an operator');
  }

  /** Events for the operations console (payloads are ids and small facts), newest first. */
  listing(query: ListingQuery): Promise<OutboxEventListing[]> {
    return LISTING.rows(query, (args) =>
      this.prisma.outboxEvent.findMany({ ...args, select: LISTING_SELECT }),
    );
  }

  count(filters: ListingFilters): Promise<number> {
    return LISTING.count(filters, (where) => this.prisma.outboxEvent.count({ where }));
  }
}
