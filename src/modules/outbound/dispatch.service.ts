import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../common/config/app-config.js';
import { runPool } from '../../common/jobs/pool.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { PrismaService } from '../../common/database/prisma.service.js';
import type { Tx } from '../../common/database/transaction.js';
import { graphFailureOf } from '../../common/microsoft/graph-error.js';
import { IdentityQueryService, type SendableIdentity } from '../identity/identity-query.service.js';
import { SenderProfileService } from '../sender-profile/sender-profile.service.js';
import { OutboundRepository, type MessageRow } from './outbound.repository.js';
import {
  classifySendFailure,
  rotationOrder,
  sendRetryDelayMs,
  underLimits,
} from './outbound.rules.js';
import { InterruptedSendRecovery } from './interrupted-send.recovery.js';
import { SendOutcomeRecorder } from './send-outcome.recorder.js';
import { SendMailClient } from './send-mail.client.js';

const CLAIM_LEASE_MS = 60_000;
const NO_IDENTITY_RETRY_MS = 60_000;

export type DispatchOutcome = 'sent' | 'retry' | 'deferred' | 'failed' | 'recovered' | 'skipped';

export interface DispatchResult {
  [count: string]: number;
  claimed: number;
  sent: number;
  retry: number;
  deferred: number;
  failed: number;
  recovered: number;
  skipped: number;
}

type Reservation = { message: MessageRow; identity: SendableIdentity };

/**
 * The send queue. For each due message: choose the least recently used active identity of its
 * profile whose mailbox is under Exchange's limits (counted in the database, so all instances
 * share them), mark it `sending`, call Graph sendMail, record the outcome. A `sending` message
 * whose outcome was never recorded (crash) goes to InterruptedSendRecovery first.
 */
@Injectable()
export class DispatchService {
  private readonly logger = new Logger(DispatchService.name);

  constructor(
    private readonly messages: OutboundRepository,
    private readonly identities: IdentityQueryService,
    private readonly profiles: SenderProfileService,
    private readonly sender: SendMailClient,
    private readonly recovery: InterruptedSendRecovery,
    private readonly outcomes: SendOutcomeRecorder,
    private readonly prisma: PrismaService,
    private readonly config: AppConfig,
  ) {}

  async dispatchOnce(limit = this.config.outbound.concurrency * 4): Promise<DispatchResult> {
    const result: DispatchResult = {
      claimed: 0,
      sent: 0,
      retry: 0,
      deferred: 0,
      failed: 0,
      recovered: 0,
      skipped: 0,
    };
    const ids = await this.messages.claimDue(limit, CLAIM_LEASE_MS);
    result.claimed = ids.length;
    const rows = await this.messages.findMany(ids);
    await runPool(rows, this.config.outbound.concurrency, async (row) => {
      result[await this.handle(row)] += 1;
    });
    return result;
  }

  private async handle(message: MessageRow): Promise<DispatchOutcome> {
    try {
      if (message.status === 'sending') return await this.recovery.recover(message);
      if (message.status !== 'queued') return 'skipped';
      return await this.sendQueued(message, new Set());
    } catch (error) {
      this.logger.error({ messageId: message.id, err: error }, 'dispatch crashed; will retry');
      await this.messages.release(message.id, new Date(Date.now() + NO_IDENTITY_RETRY_MS));
      return 'retry';
    }
  }

  private async sendQueued(message: MessageRow, excluded: Set<string>): Promise<DispatchOutcome> {
    const candidates = (await this.identities.sendableForProfile(message.senderProfileId)).filter(
      (c) => !excluded.has(c.identityId),
    );
    if (candidates.length === 0) return this.noIdentity(message);
    const reservation = await this.reserve(message, candidates);
    if (!reservation) {
      const wait = await this.messages.windowFreesInMs(
        candidates.map((c) => c.mailboxId),
        this.countedWindowMs(),
      );
      await this.messages.release(message.id, new Date(Date.now() + Math.max(wait, 200)));
      return 'deferred';
    }
    return this.send(reservation, excluded);
  }

  /**
   * Picks and books an identity in one transaction: least recently used first, under a
   * per-mailbox lock that makes the limit check and the booking atomic across instances.
   */
  private reserve(
    message: MessageRow,
    candidates: SendableIdentity[],
  ): Promise<Reservation | undefined> {
    return this.prisma.$transaction(async (tx) => {
      const used = await this.messages.lastUsed(
        candidates.map((c) => c.identityId),
        tx,
      );
      const ordered = rotationOrder(
        candidates.map((c) => ({ ...c, lastUsedAt: used.get(c.identityId) ?? null })),
      );
      const busy: SendableIdentity[] = [];
      for (const identity of ordered) {
        // Another worker is booking this mailbox right now: try the next one in line first.
        if (!(await this.messages.tryLock(tx, `mailbox:${identity.mailboxId}`))) {
          busy.push(identity);
          continue;
        }
        const booked = await this.bookIfUnderLimits(tx, message, identity);
        if (booked) return booked;
      }
      // Every free mailbox is at its limit: wait for the busy ones, in rotation order.
      for (const identity of busy) {
        await this.messages.lock(tx, `mailbox:${identity.mailboxId}`);
        const booked = await this.bookIfUnderLimits(tx, message, identity);
        if (booked) return booked;
      }
      return undefined;
    });
  }

  /** Books the message on the identity when its mailbox (locked by the caller) has room. */
  private async bookIfUnderLimits(
    tx: Tx,
    message: MessageRow,
    identity: SendableIdentity,
  ): Promise<Reservation | undefined> {
    const { mailboxMessagesPerWindow, mailboxRecipientsPerDay, sendLeaseMs } = this.config.outbound;
    const limits = {
      messagesPerWindow: mailboxMessagesPerWindow,
      recipientsPerDay: mailboxRecipientsPerDay,
    };
    const usage = await this.messages.mailboxUsage(tx, identity.mailboxId, this.countedWindowMs());
    if (!underLimits(usage, message.recipientCount, limits)) return undefined;
    const from = {
      identityId: identity.identityId,
      mailboxId: identity.mailboxId,
      fromEmail: identity.email,
    };
    const booked = await this.messages.markSending(tx, message.id, from, sendLeaseMs);
    return { message: booked, identity };
  }

  private async send(
    { message, identity }: Reservation,
    excluded: Set<string>,
  ): Promise<DispatchOutcome> {
    const profile = await this.profiles.findById(message.senderProfileId);
    if (this.bookingTooOld(message)) {
      await this.messages.requeue(message.id, new Date());
      return 'deferred';
    }
    this.crashHook('before_send');
    try {
      await this.sender.send(
        identity,
        message,
        profile ? { fromName: profile.fromName, replyTo: profile.replyTo } : undefined,
      );
    } catch (error) {
      return this.onSendFailure(message, identity, error, excluded);
    }
    this.crashHook('after_send');
    await this.outcomes.sent(message);
    return 'sent';
  }

  private async onSendFailure(
    message: MessageRow,
    identity: SendableIdentity,
    error: unknown,
    excluded: Set<string>,
  ): Promise<DispatchOutcome> {
    if (error instanceof DomainError) {
      // The mailbox cannot give a token (needs re-auth): try the profile's other identities.
      await this.messages.requeue(message.id, new Date(), {
        code: error.code,
        message: error.message,
      });
      excluded.add(identity.identityId);
      return this.sendQueued({ ...message, status: 'queued' }, excluded);
    }
    const failure = graphFailureOf(error);
    const kind = classifySendFailure(failure.status, failure.code);
    const errorInfo = {
      code: `graph_${failure.status || 'network'}_${failure.code}`,
      message: `Microsoft answered ${failure.status || 'nothing'} ${failure.code}`,
    };
    this.logger.warn(
      {
        messageId: message.id,
        identityId: identity.identityId,
        status: failure.status,
        code: failure.code,
        requestId: failure.requestId,
        attempts: message.attempts,
      },
      'sendMail failed',
    );
    if (kind === 'send_as_denied') return this.onSendAsDenied(message, identity, excluded);
    if (kind === 'retry' && message.attempts < this.config.outbound.maxAttempts) {
      await this.messages.requeue(
        message.id,
        new Date(Date.now() + sendRetryDelayMs(message.attempts, failure.retryAfterSec)),
        errorInfo,
      );
      return 'retry';
    }
    await this.outcomes.failed(message, errorInfo);
    return 'failed';
  }

  private async onSendAsDenied(
    message: MessageRow,
    identity: SendableIdentity,
    excluded: Set<string>,
  ): Promise<DispatchOutcome> {
    await this.outcomes.sendAsDenied(message, identity);
    await this.messages.requeue(message.id, new Date(), {
      code: 'send_as_denied',
      message: `Send As denied for ${identity.email}`,
    });
    excluded.add(identity.identityId);
    return this.sendQueued({ ...message, status: 'queued' }, excluded);
  }

  private async noIdentity(message: MessageRow): Promise<DispatchOutcome> {
    const error = {
      code: 'no_sendable_identity',
      message: 'No active identity is assigned to the sender profile.',
    };
    if (message.attempts + 1 >= this.config.outbound.maxAttempts) {
      await this.outcomes.failed(message, error);
      return 'failed';
    }
    await this.messages.requeue(message.id, new Date(Date.now() + NO_IDENTITY_RETRY_MS), error, {
      countAttempt: true,
    });
    return 'retry';
  }

  private countedWindowMs(): number {
    return this.config.outbound.mailboxWindowMs + this.config.outbound.mailboxWindowMarginMs;
  }

  /** A booking that waited longer than the margin would land outside the window it counted in. */
  private bookingTooOld(message: MessageRow): boolean {
    const started = message.sendingStartedAt?.getTime() ?? Date.now();
    return Date.now() - started > this.config.outbound.mailboxWindowMarginMs;
  }

  /** Kill tests only (OUTBOUND_TEST_CRASH): die at this point, like a crash would. */
  private crashHook(point: 'before_send' | 'after_send'): void {
    if (this.config.outbound.testCrash === point) process.kill(process.pid, 'SIGKILL');
  }
}
