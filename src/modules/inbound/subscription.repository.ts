import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../common/database/prisma.service.js';
import type { Tx } from '../../common/database/transaction.js';
import { claimDue, WORKER_ID } from '../../common/jobs/claim.js';
import { type InboundSubscription, Prisma } from '../../generated/prisma/client.js';

export type SubscriptionRow = InboundSubscription;

export interface GraphSubscription {
  graphSubscriptionId: string;
  clientStateHash: string;
  expiresAt: Date;
  renewAt: Date;
}

/** inbound_subscription: a mailbox's delivery state (Graph subscription, delta position). */
@Injectable()
export class SubscriptionRepository {
  constructor(private readonly prisma: PrismaService) {}

  find(mailboxId: string): Promise<SubscriptionRow | null> {
    return this.prisma.inboundSubscription.findUnique({ where: { mailboxId } });
  }

  /** Starts (or keeps) delivery; a stopped or new mailbox starts afresh from `now`. */
  async start(
    tx: Tx,
    row: { mailboxId: string; workspaceId: string; mode: 'notifications' | 'polling' },
    now: Date,
  ): Promise<void> {
    const existing = await tx.inboundSubscription.findUnique({
      where: { mailboxId: row.mailboxId },
    });
    const renewAt = row.mode === 'notifications' ? now : null;
    if (existing && existing.state !== 'stopped') {
      await tx.inboundSubscription.update({
        where: { mailboxId: row.mailboxId },
        data: {
          mode: row.mode,
          renewAt: existing.graphSubscriptionId ? existing.renewAt : renewAt,
        },
      });
      return;
    }
    const fresh = {
      state: 'active' as const,
      mode: row.mode,
      since: now,
      deltaLink: null,
      renewAt,
      catchUpAt: now,
      lastError: null,
    };
    await tx.inboundSubscription.upsert({
      where: { mailboxId: row.mailboxId },
      create: { ...row, ...fresh },
      update: { ...fresh, renewAt: existing?.graphSubscriptionId ? now : renewAt },
    });
  }

  /** Stops delivery: the subscription job deletes the Graph subscription (renewAt now). */
  async stop(tx: Tx, mailboxId: string, now: Date): Promise<boolean> {
    const { count } = await tx.inboundSubscription.updateMany({
      where: { mailboxId, state: { not: 'stopped' } },
      data: { state: 'stopped', renewAt: now },
    });
    return count > 0;
  }

  async pause(mailboxId: string, reason: string): Promise<boolean> {
    const { count } = await this.prisma.inboundSubscription.updateMany({
      where: { mailboxId, state: 'active' },
      data: { state: 'paused', lastError: reason, lastErrorAt: new Date() },
    });
    return count > 0;
  }

  /** A paused mailbox delivers again: subscription checked and a catch-up at once. */
  async resume(mailboxId: string, now: Date): Promise<boolean> {
    const { count } = await this.prisma.inboundSubscription.updateMany({
      where: { mailboxId, state: 'paused' },
      data: { state: 'active', catchUpAt: now, renewAt: now, lastError: null },
    });
    return count > 0;
  }

  findByGraphId(graphSubscriptionId: string): Promise<SubscriptionRow | null> {
    return this.prisma.inboundSubscription.findUnique({ where: { graphSubscriptionId } });
  }

  /** Subscriptions to create, renew, recreate (active, notifications) or delete (stopped). */
  claimDueSubscriptions(limit: number, leaseMs: number): Promise<string[]> {
    return claimDue(this.prisma, {
      table: 'inbound_subscription',
      idColumn: 'mailbox_id',
      due: Prisma.sql`renew_at <= now() AND (state = 'stopped' OR (state = 'active' AND mode = 'notifications'))`,
      order: Prisma.sql`renew_at`,
      limit,
      leaseMs,
      owner: WORKER_ID,
    });
  }

  claimDueCatchUps(limit: number, leaseMs: number): Promise<string[]> {
    return claimDue(this.prisma, {
      table: 'inbound_subscription',
      idColumn: 'mailbox_id',
      due: Prisma.sql`state = 'active' AND catch_up_at <= now()`,
      order: Prisma.sql`catch_up_at`,
      limit,
      leaseMs,
      owner: WORKER_ID,
    });
  }

  findMany(mailboxIds: string[]): Promise<SubscriptionRow[]> {
    return this.prisma.inboundSubscription.findMany({ where: { mailboxId: { in: mailboxIds } } });
  }

  async saveSubscription(mailboxId: string, sub: GraphSubscription): Promise<void> {
    await this.release(mailboxId, { ...sub, lastError: null });
  }

  async clearSubscription(mailboxId: string, renewAt: Date | null): Promise<void> {
    await this.release(mailboxId, {
      graphSubscriptionId: null,
      clientStateHash: null,
      expiresAt: null,
      renewAt,
    });
  }

  async saveDelta(mailboxId: string, deltaLink: string | null, catchUpAt: Date): Promise<void> {
    await this.release(mailboxId, {
      deltaLink,
      catchUpAt,
      lastCatchUpAt: new Date(),
      lastError: null,
    });
  }

  async recordError(
    mailboxId: string,
    error: string,
    retry: { renewAt?: Date; catchUpAt?: Date },
  ): Promise<void> {
    await this.release(mailboxId, {
      lastError: error.slice(0, 500),
      lastErrorAt: new Date(),
      ...retry,
    });
  }

  /** Asks for a delta catch-up at once (missed notifications, a recreated subscription). */
  async catchUpNow(mailboxId: string): Promise<void> {
    await this.prisma.inboundSubscription.updateMany({
      where: { mailboxId, state: 'active' },
      data: { catchUpAt: new Date() },
    });
  }

  /** Asks the subscription job to act at once (reauthorize, recreate). */
  async renewNow(mailboxId: string): Promise<void> {
    await this.prisma.inboundSubscription.updateMany({
      where: { mailboxId, state: 'active' },
      data: { renewAt: new Date() },
    });
  }

  private async release(
    mailboxId: string,
    data: Prisma.InboundSubscriptionUpdateInput,
  ): Promise<void> {
    await this.prisma.inboundSubscription.update({
      where: { mailboxId },
      data: { ...data, lockedUntil: null, lockedBy: null },
    });
  }
}
