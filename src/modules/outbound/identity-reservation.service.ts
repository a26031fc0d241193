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
import type { PrefetchedCredential } from '../mailbox/mailbox-graph.service.js';
import {
  applyBooking,
  type BookingState,
  cloneState,
  decide,
  type Paced,
  type PaceWait,
  type PlanStep,
} from './booking-plan.rules.js';
import { MailboxTimeZoneService } from './mailbox-time-zone.service.js';
import {
  type BookingOutcome,
  type BookingPlan,
  OutboundRepository,
  type MessageRow,
} from './outbound.repository.js';
import type { MailboxLimits } from './outbound.rules.js';
import { paceZone } from './pace.rules.js';

export type { PaceWait } from './booking-plan.rules.js';

export interface Reservation {
  message: MessageRow;
  identity: SendableIdentity;
  /** The mailbox's delegated credential, read with the group (spares the send its read). */
  credential?: PrefetchedCredential;
}

/**
 * `full`: every mailbox is at Exchange's limit; `busy`: the mailbox whose turn it is has as
 * many sends going out as Graph lets a mailbox take at once; `lost`: the message is no longer this worker's;
 * a PaceWait: no identity may send it now under the profile's pace; `again`: not decided in this
 * group (a mailbox it needed was locked by another profile's booking, or the group's rounds ran
 * out): book it in the next.
 */
export type ReservationResult = Reservation | 'full' | 'busy' | 'lost' | PaceWait | 'again';

/** One message of a group and the identities it may go out from. */
export interface BookingEntry {
  message: MessageRow;
  candidates: SendableIdentity[];
}

/**
 * The mailboxes of at least this many least recently used identities have their usage read with
 * the booking state (rotation picks among them first); the others are checked when booked.
 */
const USAGE_FRONT = 16;
/** Planning rounds in one group: a booking found full is planned again on real usage. */
const MAX_ROUNDS = 3;
/** A group's transaction may take longer than Prisma's default 5 s on a loaded database. */
const GROUP_TX = { timeout: 15_000 };
/** Later than any real use (dates end at 8.64e15 ms): a planned booking's last use. */
const PLANNED_USE_MS = 8.6e15;
/** A booked reply holds outreach back this long at most (real time) while it goes out. */
const REPLY_IN_FLIGHT_MS = 30_000;

interface Open {
  index: number;
  message: MessageRow;
  candidates: Paced[];
}

/** A group in the making: its open messages, its state, the mailboxes it locked, its results. */
interface Group {
  open: Open[];
  state: BookingState;
  now: Date;
  held: Set<string>;
  results: (ReservationResult | undefined)[];
}

/**
 * Chooses the identities a group of one sender profile's messages go out from and books them,
 * in one short transaction: the profile's lock (so rotation and pace are decided on what every
 * instance booked before, never on a stale read), the booking state read once, every message
 * planned in order on that state as each booking before it changes it (rotation, usage, pace,
 * a reply in flight), the planned mailboxes' locks in one statement, and every booking in one
 * statement that counts each mailbox's limits again under its lock, in the order planned. A
 * booking found over a limit (another profile sent through the mailbox, or its usage was not
 * read) is planned again on the real usage, with the messages after it. Pace is decided on the
 * application Clock; Exchange's windows on the database clock.
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

  /** One result per entry, in order (`profile`: the messages' sender profile, as read). */
  async reserveMany(
    entries: BookingEntry[],
    profile: { pace: unknown } | null,
  ): Promise<ReservationResult[]> {
    const profileId = entries[0].message.senderProfileId;
    const union = new Map(entries.flatMap((e) => e.candidates.map((c) => [c.identityId, c])));
    const paced = await this.withPace(storedPace(profile?.pace ?? null), [...union.values()]);
    const byId = new Map(paced.map((c) => [c.identityId, c]));
    const outreach = entries.some((e) => !e.message.isReply);
    return this.prisma.$transaction(async (tx) => {
      await this.messages.lockProfile(tx, profileId);
      const now = this.clock.now();
      const state: BookingState = await this.messages.bookingState(tx, {
        reply: outreach
          ? { senderProfileId: profileId, now, inFlightMs: REPLY_IN_FLIGHT_MS }
          : null,
        paced: outreach
          ? paced
              .filter((c) => c.pace)
              .map((c) => ({ identityId: c.identityId, dayStart: localDayStart(now, c.zone) }))
          : [],
        now,
        identities: paced.map((c) => ({ identityId: c.identityId, mailboxId: c.mailboxId })),
        front: Math.max(USAGE_FRONT, entries.length),
        windowMs: this.countedWindowMs(),
      });
      const results: (ReservationResult | undefined)[] = entries.map(() => undefined);
      const held = new Set<string>();
      for (let round = 0; round < MAX_ROUNDS; round += 1) {
        const open = entries.flatMap((e, index) =>
          results[index] === undefined
            ? [
                {
                  index,
                  message: e.message,
                  candidates: e.candidates.map((c) => byId.get(c.identityId)!),
                },
              ]
            : [],
        );
        if (open.length === 0) break;
        if (round > 0) await this.readUnread(tx, state, open);
        await this.round(tx, { open, state, now, held, results });
      }
      return results.map((r) => r ?? 'again');
    }, GROUP_TX);
  }

  /**
   * Plans the open messages in order on a copy of the state, takes the planned mailboxes' locks
   * (waited for only while the group holds none: holding some, only those free now, so profiles
   * that share mailboxes never wait in a cycle), books them in one statement, and settles what
   * it can (see settle). The rest stays open for the next round.
   */
  private async round(tx: Tx, g: Group): Promise<void> {
    const steps = this.plan(g.open, g.state, g.now);
    const wanted = steps.flatMap((s) => (s.kind === 'book' ? [s.identity.mailboxId] : []));
    const locked = await this.messages.lockMailboxes(
      tx,
      [...new Set(wanted)].filter((id) => !g.held.has(id)),
      g.held.size === 0,
    );
    for (const id of locked) g.held.add(id);
    const plans = g.open.flatMap((o, k) => this.planOf(o, steps[k], g.held));
    const booked =
      plans.length > 0
        ? await this.messages.bookMany(
            tx,
            plans,
            { windowMs: this.countedWindowMs(), ...this.limits() },
            this.config.outbound.sendLeaseMs,
            { pacedAt: g.now, after: lastUse(g.state) },
          )
        : new Map<string, BookingOutcome>();
    for (const row of booked.values()) g.state.usage.set(row.mailboxId, row.usage);
    this.settle(g, steps, booked);
  }

  /** Each open message's step, decided in order as the planned bookings before it count. */
  private plan(open: Open[], state: BookingState, now: Date): PlanStep[] {
    const sim = cloneState(state);
    return open.map((o, k) => {
      const step = decide(o.message, o.candidates, sim, now, this.limits());
      // Not booked yet, so no stamp: each planned booking counts as used after everything.
      const stamp = new Date(PLANNED_USE_MS + k);
      if (step.kind === 'book') applyBooking(sim, o.message, { ...step, stamp, pacedAt: now });
      return step;
    });
  }

  /**
   * A booking made (counted into the group's state), a message lost, its mailbox locked by
   * another profile's booking (`again`), and a wait or a `full` decided before anything planned
   * ahead of it failed (it may have counted a booking that was not made) are settled; a booking
   * found over a limit stays open, to be planned again on the real usage.
   */
  private settle(g: Group, steps: PlanStep[], booked: Map<string, BookingOutcome>): void {
    let failed = false;
    for (const [k, o] of g.open.entries()) {
      const step = steps[k];
      if (step.kind === 'decided') {
        if (!failed) g.results[o.index] = step.result;
        continue;
      }
      const row = booked.get(o.message.id);
      if (!row) {
        g.results[o.index] = 'again';
        failed = true;
      } else if (row.fields) {
        const booking = { identity: step.identity, gapUntil: step.gapUntil, pacedAt: g.now };
        g.results[o.index] = {
          message: {
            ...o.message,
            ...this.from(step.identity),
            ...row.fields,
            pacedAt: g.now,
            paceGapUntil: step.gapUntil,
            waitingReason: null,
            status: 'sending',
          },
          identity: step.identity,
        };
        applyBooking(g.state, o.message, {
          ...booking,
          stamp: row.fields.sendingStartedAt ?? g.now,
        });
      } else if (row.under) g.results[o.index] = 'lost';
      else failed = true;
    }
  }

  private planOf(o: Open, step: PlanStep, held: Set<string>): BookingPlan[] {
    if (step.kind !== 'book' || !held.has(step.identity.mailboxId)) return [];
    return [
      {
        messageId: o.message.id,
        ...this.from(step.identity),
        paceGapUntil: step.gapUntil,
        recipientCount: o.message.recipientCount,
      },
    ];
  }

  private from(identity: SendableIdentity) {
    return {
      identityId: identity.identityId,
      mailboxId: identity.mailboxId,
      fromEmail: identity.email,
    };
  }

  /** The usage of the open messages' mailboxes not read yet, in one statement. */
  private async readUnread(tx: Tx, state: BookingState, open: Open[]): Promise<void> {
    const unread = [...new Set(open.flatMap((o) => o.candidates.map((c) => c.mailboxId)))].filter(
      (id) => !state.usage.has(id),
    );
    const usage = await this.messages.mailboxUsage(tx, unread, this.countedWindowMs());
    for (const [id, u] of usage) state.usage.set(id, u);
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

  private limits(): MailboxLimits {
    return {
      messagesPerWindow: this.config.outbound.mailboxMessagesPerWindow,
      recipientsPerDay: this.config.outbound.mailboxRecipientsPerDay,
    };
  }
}

/** The profile's last booking as read (and booked since), to the millisecond. */
function lastUse(state: BookingState): Date | null {
  let last: Date | null = null;
  for (const at of state.lastUsed.values()) if (!last || at > last) last = at;
  return last;
}
