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
import type { BookingState, Paced } from './booking-plan.rules.js';
import {
  bookingRound,
  type Open,
  type ReservationResult,
  type RoundSettings,
} from './booking-round.js';
import { MailboxTimeZoneService } from './mailbox-time-zone.service.js';
import { OutboundRepository, type MessageRow } from './outbound.repository.js';
import type { MailboxLimits } from './outbound.rules.js';
import { paceZone } from './pace.rules.js';

export type { PaceWait } from './booking-plan.rules.js';
export type { Reservation, ReservationResult } from './booking-round.js';

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
/** A booked reply holds outreach back this long at most (real time) while it goes out. */
const REPLY_IN_FLIGHT_MS = 30_000;

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
        await bookingRound(tx, this.messages, this.roundSettings(), {
          open,
          state,
          now,
          held,
          results,
        });
      }
      return results.map((r) => r ?? 'again');
    }, GROUP_TX);
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

  private roundSettings(): RoundSettings {
    return {
      limits: this.limits(),
      windowMs: this.countedWindowMs(),
      leaseMs: this.config.outbound.sendLeaseMs,
    };
  }

  private limits(): MailboxLimits {
    return {
      messagesPerWindow: this.config.outbound.mailboxMessagesPerWindow,
      recipientsPerDay: this.config.outbound.mailboxRecipientsPerDay,
    };
  }
}
