import { Injectable, Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { AppConfig } from '../config/app-config.js';
import { PrismaService } from '../database/prisma.service.js';
import { claimDue, WORKER_ID } from '../jobs/claim.js';
import { Prisma, type OutboxEvent } from '../../generated/prisma/client.js';
import type { EventMeta } from './event-map.js';
import { describeFailure, retryDelayMs, shouldPark } from './relay.rules.js';

const LEASE_MS = 5 * 60 * 1000;

export interface RelayResult {
  [count: string]: number;
  claimed: number;
  published: number;
  failed: number;
  parked: number;
}

/**
 * Delivers recorded events to in-process listeners, at least once. Each event is leased to
 * one relay at a time (any number of instances), published on success, retried with
 * exponential backoff on failure and parked after the configured number of attempts.
 */
@Injectable()
export class OutboxRelay {
  private readonly logger = new Logger(OutboxRelay.name);

  constructor(
    private readonly prisma: PrismaService,
    private readonly emitter: EventEmitter2,
    private readonly config: AppConfig,
  ) {}

  async relayOnce(limit = this.config.jobs.outboxBatchSize): Promise<RelayResult> {
    const ids = await claimDue(this.prisma, {
      table: 'outbox_event',
      due: Prisma.sql`status = 'pending' AND next_attempt_at <= now()`,
      order: Prisma.sql`next_attempt_at, created_at`,
      limit,
      leaseMs: LEASE_MS,
      owner: WORKER_ID,
    });
    const result: RelayResult = { claimed: ids.length, published: 0, failed: 0, parked: 0 };
    if (ids.length === 0) return result;
    const events = await this.prisma.outboxEvent.findMany({
      where: { id: { in: ids } },
      orderBy: [{ nextAttemptAt: 'asc' }, { createdAt: 'asc' }],
    });
    for (const event of events) {
      const outcome = await this.deliver(event);
      result[outcome] += 1;
    }
    return result;
  }

  private async deliver(event: OutboxEvent): Promise<'published' | 'failed' | 'parked'> {
    const meta: EventMeta = {
      eventId: event.id,
      name: event.name,
      occurredAt: event.createdAt,
      attempt: event.attempts + 1,
    };
    try {
      await this.emitter.emitAsync(event.name, event.payload, meta);
    } catch (error) {
      return this.recordFailure(event.id, event.name, event.attempts + 1, error);
    }
    await this.prisma.outboxEvent.update({
      where: { id: event.id },
      data: { status: 'published', publishedAt: new Date(), lockedUntil: null, lockedBy: null },
    });
    return 'published';
  }

  private async recordFailure(
    id: string,
    name: string,
    attempts: number,
    error: unknown,
  ): Promise<'failed' | 'parked'> {
    const parked = shouldPark(attempts, this.config.jobs.outboxMaxAttempts);
    const lastError = describeFailure(error);
    await this.prisma.outboxEvent.update({
      where: { id },
      data: {
        attempts,
        lastError,
        status: parked ? 'parked' : 'pending',
        nextAttemptAt: new Date(Date.now() + retryDelayMs(attempts)),
        lockedUntil: null,
        lockedBy: null,
      },
    });
    const log = { eventId: id, event: name, attempts, error: lastError };
    if (parked) this.logger.error(log, 'event parked after its last attempt; an operator must act');
    else this.logger.warn(log, 'event delivery failed; will retry');
    return parked ? 'parked' : 'failed';
  }
}
