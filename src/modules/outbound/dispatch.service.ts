import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../common/config/app-config.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { sweepLeased } from '../../common/jobs/sweep.js';
import { graphFailureOf } from '../../common/microsoft/graph-error.js';
import { Clock } from '../../common/time/clock.js';
import { IdentityQueryService, type SendableIdentity } from '../identity/identity-query.service.js';
import { MailboxGraphService } from '../mailbox/mailbox-graph.service.js';
import { MailboxTokenUnavailableError } from '../mailbox/mailbox.errors.js';
import { SenderProfileService } from '../sender-profile/sender-profile.service.js';
import { IdentityReservationService, type Reservation } from './identity-reservation.service.js';
import { InterruptedSendRecovery } from './interrupted-send.recovery.js';
import { OutboundRepository, type MessageRow } from './outbound.repository.js';
import { ProfileBookings } from './profile-bookings.js';
import { classifySendFailure, sendRetryDelayMs, type SendFailureKind } from './outbound.rules.js';
import { SendMailClient } from './send-mail.client.js';
import { type SendError, SendOutcomeRecorder } from './send-outcome.recorder.js';
import { SuppressionService } from './suppression.service.js';
import type { SuppressionReason } from './suppression.rules.js';

type SenderProfileRow = Awaited<ReturnType<SenderProfileService['findById']>>;

const CLAIM_LEASE_MS = 60_000;
/** Batches one dispatchOnce claims at most (the next tick goes on). */
const MAX_BATCHES = 25;
/** How long a call reuses a profile's sendable identities and settings. */
const READS_TTL_MS = 1_000;

const OUTCOMES = [
  'sent',
  'retry',
  'deferred',
  'failed',
  'recovered',
  'unknown',
  'skipped',
] as const satisfies readonly DispatchOutcome[];
const WAIT_FOR_IDENTITY_MS = 60_000;
/** A message whose turn falls on a mailbox with as many sends going out as Graph allows. */
const BUSY_WAIT_MS = 250;

export type DispatchOutcome =
  'sent' | 'retry' | 'deferred' | 'failed' | 'recovered' | 'unknown' | 'skipped';

export type DispatchResult = Record<DispatchOutcome | 'claimed', number>;

/** A booked message and its profile as read. */
interface Booked extends Reservation {
  profile: SenderProfileRow;
}

/** What `prepare` made of a message: booked, an outcome already (null: `handle` decides), or an error. */
type Prepared =
  { booked: Booked; round: Round } | { outcome: DispatchOutcome | null } | { error: unknown };

/** Why the identities tried for a message in this round could not take it. */
interface Round {
  excluded: Set<string>;
  reads: BatchReads;
  lastError?: SendError;
  retryAt?: Date;
}

/**
 * The send queue. For each due message: book an identity (IdentityReservationService), call
 * Graph sendMail, record the outcome. A send whose outcome is unknown (no answer, a crash) stays
 * `sending` and goes to InterruptedSendRecovery, which reads Sent Items before anything is
 * sent again. Recipients suppressed since the message was accepted are left out first (a
 * message left with nobody is cancelled). A mailbox that cannot give a token hands the message to the profile's other
 * identities; with none left the message waits, without using up its attempts.
 */
@Injectable()
export class DispatchService {
  private readonly logger = new Logger(DispatchService.name);
  private readonly bookings: ProfileBookings;

  constructor(
    private readonly messages: OutboundRepository,
    private readonly identities: IdentityQueryService,
    private readonly profiles: SenderProfileService,
    private readonly reservations: IdentityReservationService,
    private readonly sender: SendMailClient,
    private readonly recovery: InterruptedSendRecovery,
    private readonly outcomes: SendOutcomeRecorder,
    private readonly suppressions: SuppressionService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    graph: MailboxGraphService,
  ) {
    this.bookings = new ProfileBookings(reservations, (ids) => graph.prefetchDelegated(ids));
  }

  /**
   * Sends what is due, pipelined like the sweeps (`sweepLeased`): the next batch of `limit` is
   * claimed while the current one still has a pool's worth to go, so workers do not idle at a
   * batch's tail while mailboxes have room. Stops once a claim comes back short (everything due
   * when it ran is taken) or after MAX_BATCHES. Each profile's sendable identities and settings
   * are read once per READS_TTL_MS of the call, not per message.
   */
  async dispatchOnce(limit = this.config.outbound.concurrency * 4): Promise<DispatchResult> {
    const reads = new BatchReads(this.identities, this.profiles);
    const suppressed = new Map<string, Map<string, SuppressionReason>>();
    let drained = false;
    const counts = await sweepLeased<MessageRow, DispatchOutcome, Promise<Prepared>>({
      outcomes: OUTCOMES,
      batchSize: limit,
      concurrency: this.config.outbound.concurrency,
      maxBatches: MAX_BATCHES,
      claim: async (size) => {
        if (drained) return [];
        const ids = await this.messages.claimDue(size, CLAIM_LEASE_MS, this.clock.now());
        if (ids.length < size) drained = true;
        if (ids.length === 0) return [];
        const rows = await this.messages.findMany(ids);
        await this.readSuppressed(rows, suppressed);
        return rows;
      },
      // A worker books its next message while it sends the current one (booking is off the
      // send's path; a booking waits at most one send before it goes out).
      prepare: (row) => this.prepare(row, reads, suppressed),
      work: (row, prepared) => this.handle(row, prepared!),
    });
    return counts;
  }

  /**
   * The suppression list's entries for a claimed batch's queued messages, in one read (a failed
   * read leaves them out: each message then reads its own, as screenQueued does alone).
   */
  private async readSuppressed(
    rows: MessageRow[],
    into: Map<string, Map<string, SuppressionReason>>,
  ): Promise<void> {
    try {
      const found = await this.suppressions.reasonsForQueued(
        rows.filter((r) => r.status === 'queued'),
      );
      for (const [id, reasons] of found) into.set(id, reasons);
    } catch (error) {
      this.logger.warn({ err: error }, 'suppression read for a batch failed; read per message');
    }
  }

  /**
   * A queued message screened against the suppression list and booked (or what became of it);
   * a message in another state is left to `handle`. Never rejects: an error is returned.
   */
  private async prepare(
    message: MessageRow,
    reads: BatchReads,
    suppressed: Map<string, Map<string, SuppressionReason>>,
  ): Promise<Prepared> {
    if (message.status !== 'queued') return { outcome: null };
    try {
      const known = suppressed.get(message.id);
      suppressed.delete(message.id);
      const screen = await this.suppressions.screenQueued(message, known);
      if (screen.kind === 'cancelled') return { outcome: 'skipped' };
      const queued = screen.kind === 'stripped' ? screen.message : message;
      const round = { excluded: new Set<string>(), reads };
      const booked = await this.book(queued, round);
      return typeof booked === 'string' ? { outcome: booked } : { booked, round };
    } catch (error) {
      return { error };
    }
  }

  private async handle(message: MessageRow, prepared: Promise<Prepared>): Promise<DispatchOutcome> {
    try {
      if (message.status === 'sending') return await this.recovery.recover(message);
      const ready = await prepared;
      if ('error' in ready) throw ready.error;
      if ('booked' in ready) return await this.send(ready.booked, ready.round);
      return ready.outcome ?? 'skipped';
    } catch (error) {
      this.logger.error({ messageId: message.id, err: error }, 'dispatch crashed; will retry');
      await this.messages.release(message.id, this.after(WAIT_FOR_IDENTITY_MS));
      return 'retry';
    }
  }

  private async sendQueued(message: MessageRow, round: Round): Promise<DispatchOutcome> {
    const booked = await this.book(message, round);
    return typeof booked === 'string' ? booked : this.send(booked, round);
  }

  /** Books the message on one of its profile's identities, or says what became of it. */
  private async book(message: MessageRow, round: Round): Promise<DispatchOutcome | Booked> {
    const candidates = (await round.reads.sendable(message.senderProfileId)).filter(
      (c) => !round.excluded.has(c.identityId),
    );
    if (candidates.length === 0) return this.waitForIdentity(message, round);
    const profile = await round.reads.profile(message.senderProfileId);
    const reservation = await this.bookings.book(message, candidates, profile);
    if (reservation === 'lost') return 'skipped';
    if (reservation === 'busy') {
      await this.messages.release(message.id, this.after(BUSY_WAIT_MS), 'mailbox_limit');
      return 'deferred';
    }
    if (reservation === 'full') {
      const wait = await this.messages.windowFreesInMs(
        candidates.map((c) => c.mailboxId),
        this.reservations.countedWindowMs(),
      );
      await this.messages.release(message.id, this.after(Math.max(wait, 200)), 'mailbox_limit');
      return 'deferred';
    }
    if ('wait' in reservation) {
      await this.messages.waitForPace(message.id, reservation.until, reservation.wait);
      return 'deferred';
    }
    return { ...reservation, profile };
  }

  private async send(
    { message, identity, credential, profile }: Booked,
    round: Round,
  ): Promise<DispatchOutcome> {
    if (this.bookingTooOld(message)) {
      await this.messages.requeue(message.id, new Date(), undefined, { refundAttempt: true });
      return 'deferred';
    }
    this.crashHook('before_send');
    try {
      await this.sender.send(
        identity,
        message,
        profile ? { fromName: profile.fromName, replyTo: profile.replyTo } : undefined,
        credential,
      );
    } catch (error) {
      return this.onSendFailure(message, identity, error, round);
    }
    this.crashHook('after_send');
    await this.outcomes.sent(message);
    return 'sent';
  }

  private async onSendFailure(
    message: MessageRow,
    identity: SendableIdentity,
    error: unknown,
    round: Round,
  ): Promise<DispatchOutcome> {
    if (error instanceof DomainError) return this.tryAnother(message, identity, error, round);
    const failure = graphFailureOf(error);
    const kind = classifySendFailure(failure.status, failure.code);
    const info = {
      code: `graph_${failure.status || 'network'}_${failure.code}`,
      message: `Microsoft answered ${failure.status || 'nothing'} ${failure.code}`,
    };
    this.logger.warn(
      {
        messageId: message.id,
        identityId: identity.identityId,
        status: failure.status,
        code: failure.code,
        kind,
        requestId: failure.requestId,
        attempts: message.attempts,
      },
      'sendMail failed',
    );
    return this.afterGraphFailure(message, identity, kind, info, failure.retryAfterSec, round);
  }

  private async afterGraphFailure(
    message: MessageRow,
    identity: SendableIdentity,
    kind: SendFailureKind,
    info: SendError,
    retryAfterSec: number | undefined,
    round: Round,
  ): Promise<DispatchOutcome> {
    if (kind === 'unknown') return this.outcomeUnknown(message, info);
    if (kind === 'send_as_denied') {
      await this.outcomes.sendAsDenied(message, identity);
      return this.tryAnother(message, identity, sendAsDenied(identity), round);
    }
    if (kind === 'token_refused' || kind === 'mailbox')
      return this.tryAnother(message, identity, info, round);
    if (kind === 'retry' && message.attempts < this.config.outbound.maxAttempts) {
      const at = this.after(sendRetryDelayMs(message.attempts, retryAfterSec));
      await this.messages.requeue(message.id, at, info, { waitingReason: 'retry_backoff' });
      return 'retry';
    }
    await this.outcomes.failed(message, info);
    return 'failed';
  }

  /**
   * Microsoft may have accepted the message: it stays `sending` (its slot still counts) and is
   * judged by the Sent Items check once Exchange has had time to file the copy.
   */
  private async outcomeUnknown(message: MessageRow, info: SendError): Promise<DispatchOutcome> {
    const checkAt = new Date(Date.now() + this.config.outbound.sentItemsSettleMs);
    await this.messages.deferCheck(message.id, checkAt, {
      code: 'send_outcome_unknown',
      message: `No answer from Microsoft (${info.code}); checking Sent Items before any resend.`,
    });
    return 'unknown';
  }

  /** This identity cannot take the message now (never reached Microsoft): try the others. */
  private async tryAnother(
    message: MessageRow,
    identity: SendableIdentity,
    error: SendError & { retryAt?: Date },
    round: Round,
  ): Promise<DispatchOutcome> {
    await this.messages.requeue(message.id, new Date(), error, {
      refundAttempt: true,
      keepLease: true,
    });
    round.excluded.add(identity.identityId);
    round.lastError = { code: error.code, message: error.message };
    if (error instanceof MailboxTokenUnavailableError) round.retryAt = tokenRetryAt(error);
    const queued = { ...message, status: 'queued' as const, attempts: message.attempts - 1 };
    return this.sendQueued(queued, round);
  }

  /**
   * No identity of the profile can send now. The message stays queued with the real reason and
   * is looked at again later; it fails only after waiting OUTBOUND_MAX_WAIT_MS, with that reason.
   */
  private async waitForIdentity(message: MessageRow, round: Round): Promise<DispatchOutcome> {
    const reason = round.lastError ?? (await this.profileReason(message));
    // Time held back by the pace (a paced queue may wait days) is not time without an identity.
    const since = Math.max(message.createdAt.getTime(), message.paceWaitedAt?.getTime() ?? 0);
    if (Date.now() - since > this.config.outbound.maxWaitMs) {
      await this.outcomes.failed(message, reason);
      return 'failed';
    }
    const at = round.retryAt ?? this.after(WAIT_FOR_IDENTITY_MS);
    await this.messages.requeue(message.id, at, reason, { waitingReason: 'no_sendable_identity' });
    return 'deferred';
  }

  /** `ms` from now on the application clock (when a requeued message is due again). */
  private after(ms: number): Date {
    return new Date(this.clock.now().getTime() + ms);
  }

  private async profileReason(message: MessageRow): Promise<SendError> {
    const sendability = await this.profiles.sendabilityById(message.senderProfileId);
    const reason = sendability?.reason ?? 'sender_profile_deleted';
    return {
      code: reason,
      message: `The sender profile cannot send now (${reason}): at least one identity with an Active status on a connected mailbox must be assigned to it.`,
    };
  }

  /** A booking that waited longer than the margin would land outside the window it counted in. */
  private bookingTooOld(message: MessageRow): boolean {
    const started = message.sendingStartedAt?.getTime() ?? Date.now();
    return Date.now() - started > this.config.outbound.mailboxWindowMarginMs;
  }

  /** Kill tests only (OUTBOUND_TEST_CRASH, NODE_ENV=test): die here, like a crash would. */
  private crashHook(point: 'before_send' | 'after_send'): void {
    if (this.config.outbound.testCrash === point) process.kill(process.pid, 'SIGKILL');
  }
}

function sendAsDenied(identity: SendableIdentity): SendError {
  return { code: 'send_as_denied', message: `Send As denied for ${identity.email}` };
}

function tokenRetryAt(error: MailboxTokenUnavailableError): Date {
  const retryAt = (error as { retryAt?: Date }).retryAt;
  return retryAt && retryAt.getTime() > Date.now() ? retryAt : new Date(Date.now() + 30_000);
}

/**
 * A profile's sendable identities and its row, read once per READS_TTL_MS of a dispatch call and
 * shared by its messages (a change made meanwhile is seen by the next read, as before by the
 * next message).
 */
class BatchReads {
  private readonly identitiesOf = new Map<
    string,
    { at: number; value: Promise<SendableIdentity[]> }
  >();
  private readonly profiles = new Map<string, { at: number; value: Promise<SenderProfileRow> }>();

  constructor(
    private readonly identities: IdentityQueryService,
    private readonly senderProfiles: SenderProfileService,
  ) {}

  sendable(profileId: string): Promise<SendableIdentity[]> {
    return cached(this.identitiesOf, profileId, () =>
      this.identities.sendableForProfile(profileId),
    );
  }

  profile(profileId: string): Promise<SenderProfileRow> {
    return cached(this.profiles, profileId, () => this.senderProfiles.findById(profileId));
  }
}

function cached<T>(
  cache: Map<string, { at: number; value: Promise<T> }>,
  key: string,
  read: () => Promise<T>,
): Promise<T> {
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < READS_TTL_MS) return hit.value;
  const value = read();
  cache.set(key, { at: Date.now(), value });
  // A failed read is not reused.
  value.catch(() => cache.delete(key));
  return value;
}
