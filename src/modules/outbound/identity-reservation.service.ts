import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../common/config/app-config.js';
import { PrismaService } from '../../common/database/prisma.service.js';
import type { Tx } from '../../common/database/transaction.js';
import {
  effectivePace,
  type PaceSettings,
  storedOverride,
  storedPace,
} from '../../common/pace/pace-settings.js';
import { Clock } from '../../common/time/clock.js';
import { localDayStart } from '../../common/time/time-window.rules.js';
import type { SendableIdentity } from '../identity/identity-query.service.js';
import { MailboxTimeZoneService } from './mailbox-time-zone.service.js';
import { OutboundRepository, type MessageRow } from './outbound.repository.js';
import { type MailboxLimits, rotationOrder, underLimits } from './outbound.rules.js';
import {
  earliestWait,
  gapUntilAfter,
  paceDecision,
  paceZone,
  type IdentityPaceState,
  type PaceWaitReason,
} from './pace.rules.js';

export interface Reservation {
  message: MessageRow;
  identity: SendableIdentity;
}

/** The outreach pace (or a waiting reply) holds the message back until `until`. */
export interface PaceWait {
  wait: PaceWaitReason | 'replies_first';
  until: Date;
}

/**
 * `full`: every mailbox is at Exchange's limit; `lost`: the message is no longer this worker's;
 * a PaceWait: no identity may send it now under the profile's pace.
 */
export type ReservationResult = Reservation | 'full' | 'lost' | PaceWait;

/**
 * The mailboxes of this many least recently used identities have their usage read with the
 * booking state (rotation picks among them first); the others are checked when booked.
 */
const USAGE_FRONT = 16;
/** Bookings found full (mailboxes not read with the state) before the rest's usage is read. */
const MAX_FULL_TRIES = 4;

/** Outreach held back by a reply looks again this much later. */
const REPLY_FIRST_MS = 2_000;
/** A booked reply holds outreach back this long at most (real time) while it goes out. */
const REPLY_IN_FLIGHT_MS = 30_000;

interface Paced extends SendableIdentity {
  pace: PaceSettings | null;
  /** Where its pace counts days and opens windows (the window's, the mailbox's, or UTC). */
  zone: string;
}

/**
 * Chooses the identity a message goes out from and books it, in one short transaction:
 * under the sender profile's lock (so rotation and pace are decided on what every instance
 * booked before, never on a stale read), the least recently used identity that its pace lets
 * send now (window, daily cap, ramp, gap; replies are not paced) and whose mailbox is under
 * Exchange's limits; the mailbox's own lock makes its limit check and the booking atomic for
 * every profile that sends through it. Pace is decided on the application Clock; Exchange's
 * windows on the database clock.
 */
@Injectable()
export class IdentityReservationService {
  constructor(
    private readonly messages: OutboundRepository,
    private readonly prisma: PrismaService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly timeZones: MailboxTimeZoneService,
  ) {}

  /** The booked message and identity, or why there is none (`profile`: the message's, as read). */
  async reserve(
    message: MessageRow,
    candidates: SendableIdentity[],
    profile: { pace: unknown } | null,
  ): Promise<ReservationResult> {
    const profilePace = storedPace(profile?.pace ?? null);
    const paced = await this.withPace(profilePace, candidates);
    return this.prisma.$transaction(async (tx) => {
      await this.messages.lockProfile(tx, message.senderProfileId);
      const now = this.clock.now();
      const state = await this.messages.bookingState(tx, {
        reply: message.isReply
          ? null
          : { senderProfileId: message.senderProfileId, now, inFlightMs: REPLY_IN_FLIGHT_MS },
        paced: message.isReply
          ? []
          : paced
              .filter((c) => c.pace)
              .map((c) => ({ identityId: c.identityId, dayStart: localDayStart(now, c.zone) })),
        now,
        identities: paced.map((c) => ({ identityId: c.identityId, mailboxId: c.mailboxId })),
        front: USAGE_FRONT,
        windowMs: this.countedWindowMs(),
      });
      if (state.replyWaiting)
        return { wait: 'replies_first', until: new Date(now.getTime() + REPLY_FIRST_MS) };
      const allowed = message.isReply ? paced : this.allowedByPace(state.pace, paced, now);
      if (!Array.isArray(allowed)) return allowed;
      // A mailbox whose usage was not read (not among the least recently used) is tried: the
      // booking statement counts its limits anyway.
      const ordered = rotationOrder(
        allowed
          .filter((c) => {
            const usage = state.usage.get(c.mailboxId);
            return !usage || underLimits(usage, message.recipientCount, this.limits());
          })
          .map((c) => ({ ...c, lastUsedAt: state.lastUsed.get(c.identityId) ?? null })),
      );
      return this.bookFirst(tx, message, ordered, now, new Set(state.usage.keys()));
    });
  }

  /** Each candidate's effective pace, and its zone (the mailbox's read only when needed). */
  private async withPace(
    profilePace: PaceSettings | null,
    candidates: SendableIdentity[],
  ): Promise<Paced[]> {
    const withPace = candidates.map((c) => ({
      ...c,
      pace: effectivePace(profilePace, storedOverride(c.paceOverride)),
    }));
    const needZone = withPace.filter((c) => c.pace && !c.pace.window?.timeZone);
    const zones = needZone.length > 0 ? await this.timeZones.zonesFor(needZone) : new Map();
    return withPace.map((c) => ({
      ...c,
      zone: paceZone(c.pace, zones.get(c.mailboxId) ?? null),
    }));
  }

  /** Window counted for the limit: Exchange's, plus the receive margin. */
  countedWindowMs(): number {
    return this.config.outbound.mailboxWindowMs + this.config.outbound.mailboxWindowMarginMs;
  }

  /** The identities whose pace lets outreach go now, or the earliest wait when none does. */
  private allowedByPace(
    states: Map<string, IdentityPaceState>,
    candidates: Paced[],
    now: Date,
  ): Paced[] | PaceWait {
    const allowed: Paced[] = [];
    const waits: { reason: PaceWaitReason; until: Date }[] = [];
    for (const c of candidates) {
      const state = states.get(c.identityId) ?? { sentToday: 0, gapUntil: null, firstSendAt: null };
      const decision = paceDecision(c.pace, state, now, c.zone);
      if (decision.go) allowed.push(c);
      else waits.push(decision);
    }
    if (allowed.length > 0) return allowed;
    const first = earliestWait(waits)!;
    return { wait: first.reason, until: first.until };
  }

  /**
   * Books on the first identity in rotation order whose mailbox still has room once its lock is
   * held. Only the first mailbox lock is waited for: holding one, never wait for another (no
   * lock cycles between profiles that share mailboxes). Mailboxes whose usage was not read with
   * the state are tried as they come; once MAX_FULL_TRIES have turned out full, the usage of all
   * the remaining ones is read in one statement and the full ones are skipped.
   */
  private async bookFirst(
    tx: Tx,
    message: MessageRow,
    ordered: Paced[],
    now: Date,
    known: ReadonlySet<string>,
  ): Promise<ReservationResult> {
    let holding = false;
    let fullTries = 0;
    let queue = ordered;
    while (queue.length > 0) {
      if (fullTries === MAX_FULL_TRIES) {
        fullTries += 1; // read once
        queue = await this.withRoom(tx, message, queue, known);
        continue;
      }
      const identity = queue[0];
      queue = queue.slice(1);
      const key = `mailbox:${identity.mailboxId}`;
      if (!holding) await this.messages.lock(tx, key);
      else if (!(await this.messages.tryLock(tx, key))) continue;
      holding = true;
      const from = {
        identityId: identity.identityId,
        mailboxId: identity.mailboxId,
        fromEmail: identity.email,
      };
      const { full, booked } = await this.messages.bookIfUnderLimits(
        tx,
        message,
        from,
        { windowMs: this.countedWindowMs(), ...this.limits() },
        this.config.outbound.sendLeaseMs,
        {
          pacedAt: now,
          paceGapUntil: message.isReply ? null : gapUntilAfter(identity.pace, now),
        },
      );
      if (full) {
        fullTries += 1;
        continue;
      }
      return booked ? { message: booked, identity } : 'lost';
    }
    return 'full';
  }

  /** The candidates left whose mailbox has room, their usage read now (those not read before). */
  private async withRoom(
    tx: Tx,
    message: MessageRow,
    queue: Paced[],
    known: ReadonlySet<string>,
  ): Promise<Paced[]> {
    const unread = [...new Set(queue.map((c) => c.mailboxId))].filter((id) => !known.has(id));
    const usage = await this.messages.mailboxUsage(tx, unread, this.countedWindowMs());
    return queue.filter((c) => {
      const read = usage.get(c.mailboxId);
      return !read || underLimits(read, message.recipientCount, this.limits());
    });
  }

  private limits(): MailboxLimits {
    return {
      messagesPerWindow: this.config.outbound.mailboxMessagesPerWindow,
      recipientsPerDay: this.config.outbound.mailboxRecipientsPerDay,
    };
  }
}
