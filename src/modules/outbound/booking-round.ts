// One planning round of a booking group (IdentityReservationService.reserveMany).
import type { Tx } from '../../common/database/transaction.js';
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
import type {
  BookingOutcome,
  BookingPlan,
  MessageRow,
  OutboundRepository,
} from './outbound.repository.js';
import type { MailboxLimits } from './outbound.rules.js';

export interface Reservation {
  message: MessageRow;
  identity: SendableIdentity;
  /** The mailbox's delegated credential, read with the group (spares the send its read). */
  credential?: PrefetchedCredential;
}

/**
 * `full`: every mailbox is at Exchange's limit; `busy`: the mailbox whose turn it is has as many
 * sends going out as Graph lets a mailbox take at once; `lost`: the message is no longer this
 * worker's; a PaceWait: no identity may send it now under the profile's pace; `again`: not
 * decided in this group (a mailbox it needed was locked by another profile's booking, or the
 * group's rounds ran out): book it in the next.
 */
export type ReservationResult = Reservation | 'full' | 'busy' | 'lost' | PaceWait | 'again';

/** What a round counts by: Exchange's limits, the counted window, a booking's lease. */
export interface RoundSettings {
  limits: MailboxLimits;
  windowMs: number;
  leaseMs: number;
}

/** Later than any real use (dates end at 8.64e15 ms): a planned booking's last use. */
const PLANNED_USE_MS = 8.6e15;

/** A message of the group not settled yet: its place in the group, its candidates with pace. */
export interface Open {
  index: number;
  message: MessageRow;
  candidates: Paced[];
}

/** A group in the making: its open messages, its state, the mailboxes it locked, its results. */
export interface Group {
  open: Open[];
  state: BookingState;
  now: Date;
  held: Set<string>;
  results: (ReservationResult | undefined)[];
}

/**
 * Plans the open messages in order on a copy of the state, takes the planned mailboxes' locks
 * (waited for only while the group holds none: holding some, only those free now, so profiles
 * that share mailboxes never wait in a cycle), books them in one statement, and settles what
 * it can (see settle). The rest stays open for the next round.
 */
export async function bookingRound(
  tx: Tx,
  messages: OutboundRepository,
  settings: RoundSettings,
  g: Group,
): Promise<void> {
  const steps = plan(g.open, g.state, g.now, settings.limits);
  const wanted = steps.flatMap((s) => (s.kind === 'book' ? [s.identity.mailboxId] : []));
  const locked = await messages.lockMailboxes(
    tx,
    [...new Set(wanted)].filter((id) => !g.held.has(id)),
    g.held.size === 0,
  );
  for (const id of locked) g.held.add(id);
  const plans = g.open.flatMap((o, k) => planOf(o, steps[k], g.held));
  const booked =
    plans.length > 0
      ? await messages.bookMany(
          tx,
          plans,
          { windowMs: settings.windowMs, ...settings.limits },
          settings.leaseMs,
          { pacedAt: g.now, after: lastUse(g.state) },
        )
      : new Map<string, BookingOutcome>();
  for (const row of booked.values()) g.state.usage.set(row.mailboxId, row.usage);
  settle(g, steps, booked);
}

/** Each open message's step, decided in order as the planned bookings before it count. */
function plan(open: Open[], state: BookingState, now: Date, limits: MailboxLimits): PlanStep[] {
  const sim = cloneState(state);
  return open.map((o, k) => {
    const step = decide(o.message, o.candidates, sim, now, limits);
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
function settle(g: Group, steps: PlanStep[], booked: Map<string, BookingOutcome>): void {
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
          ...from(step.identity),
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

function planOf(o: Open, step: PlanStep, held: Set<string>): BookingPlan[] {
  if (step.kind !== 'book' || !held.has(step.identity.mailboxId)) return [];
  return [
    {
      messageId: o.message.id,
      ...from(step.identity),
      paceGapUntil: step.gapUntil,
      recipientCount: o.message.recipientCount,
    },
  ];
}

function from(identity: SendableIdentity) {
  return {
    identityId: identity.identityId,
    mailboxId: identity.mailboxId,
    fromEmail: identity.email,
  };
}

/** The profile's last booking as read (and booked since), to the millisecond. */
function lastUse(state: BookingState): Date | null {
  let last: Date | null = null;
  for (const at of state.lastUsed.values()) if (!last || at > last) last = at;
  return last;
}
