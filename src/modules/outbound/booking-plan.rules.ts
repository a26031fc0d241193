import type { PaceSettings } from '../../common/pace/pace-settings.js';
import type { SendableIdentity } from '../identity/identity-query.service.js';
import type { MessageRow } from './outbound.repository.js';
import {
  type MailboxLimits,
  type MailboxUsage,
  rotationOrder,
  underLimits,
} from './outbound.rules.js';
import {
  earliestWait,
  gapUntilAfter,
  paceDecision,
  type IdentityPaceState,
  type PaceWaitReason,
} from './pace.rules.js';

/** The outreach pace (or a waiting reply) holds the message back until `until`. */
export interface PaceWait {
  wait: PaceWaitReason | 'replies_first';
  until: Date;
}

/** A candidate identity with its effective pace and the zone that pace counts days in. */
export interface Paced extends SendableIdentity {
  pace: PaceSettings | null;
  zone: string;
}

/** What the choice of identity reads under the profile's lock (bookingState's answer). */
export interface BookingState {
  replyWaiting: boolean;
  pace: Map<string, IdentityPaceState>;
  /** Per mailbox; a mailbox not here was not read (counted as empty, the booking checks it). */
  usage: Map<string, MailboxUsage>;
  lastUsed: Map<string, Date>;
}

/** Book the message on `identity` (drawing its gap now), or what holds it back. */
export type PlanStep =
  | { kind: 'book'; identity: Paced; gapUntil: Date | null }
  | { kind: 'decided'; result: 'full' | 'busy' | PaceWait };

/**
 * Sends one mailbox may have going out at once, across instances: Graph allows an app 4
 * concurrent requests per mailbox (429 MailboxConcurrency), one is left for its other calls.
 */
const SENDS_IN_FLIGHT = 3;

/** Outreach held back by a reply looks again this much later. */
const REPLY_FIRST_MS = 2_000;

export function cloneState(state: BookingState): BookingState {
  return {
    replyWaiting: state.replyWaiting,
    pace: new Map(state.pace),
    usage: new Map(state.usage),
    lastUsed: new Map(state.lastUsed),
  };
}

/**
 * The identity a message goes out from, decided on `state` as it stands: outreach waits while a
 * reply of the profile is due or going out; of the identities its pace lets send now (window,
 * daily cap, ramp, gap; replies are not paced), the least recently used one whose mailbox is
 * under Exchange's limits as far as read; `busy`: its mailbox has as many sends going out as
 * Graph lets a mailbox take at once (the message waits its turn: rotation stays even).
 */
export function decide(
  message: MessageRow,
  candidates: Paced[],
  state: BookingState,
  now: Date,
  limits: MailboxLimits,
): PlanStep {
  if (!message.isReply && state.replyWaiting)
    return decided({ wait: 'replies_first', until: new Date(now.getTime() + REPLY_FIRST_MS) });
  const allowed = message.isReply ? candidates : allowedByPace(state.pace, candidates, now);
  if (!Array.isArray(allowed)) return decided(allowed);
  const room = allowed.filter((c) => {
    const usage = state.usage.get(c.mailboxId);
    return !usage || underLimits(usage, message.recipientCount, limits);
  });
  const [first] = rotationOrder(
    room.map((c) => ({ ...c, lastUsedAt: state.lastUsed.get(c.identityId) ?? null })),
  );
  if (!first) return decided('full');
  // The rotation's turn waits for its mailbox rather than pass to the next identity.
  if ((state.usage.get(first.mailboxId)?.inFlight ?? 0) >= SENDS_IN_FLIGHT) return decided('busy');
  const gapUntil = message.isReply ? null : gapUntilAfter(first.pace, now);
  return { kind: 'book', identity: first, gapUntil };
}

/**
 * The state after a booking, as bookingState would now read it: the identity was used last,
 * its mailbox counts one more message and its recipients, an outreach send counts toward the
 * identity's day and draws its gap, any send is its first if none was, and a reply is in flight.
 */
export function applyBooking(
  state: BookingState,
  message: Pick<MessageRow, 'isReply' | 'recipientCount'>,
  booking: { identity: SendableIdentity; stamp: Date; gapUntil: Date | null; pacedAt: Date },
): void {
  const { identity, stamp, gapUntil, pacedAt } = booking;
  state.lastUsed.set(identity.identityId, stamp);
  const usage = state.usage.get(identity.mailboxId) ?? { messagesInWindow: 0, recipientsInDay: 0 };
  state.usage.set(identity.mailboxId, {
    messagesInWindow: usage.messagesInWindow + 1,
    recipientsInDay: usage.recipientsInDay + message.recipientCount,
    inFlight: (usage.inFlight ?? 0) + 1,
  });
  const pace = state.pace.get(identity.identityId);
  if (pace)
    state.pace.set(identity.identityId, {
      sentToday: pace.sentToday + (message.isReply ? 0 : 1),
      gapUntil: gapUntil && (!pace.gapUntil || gapUntil > pace.gapUntil) ? gapUntil : pace.gapUntil,
      firstSendAt: pace.firstSendAt ?? pacedAt,
    });
  if (message.isReply) state.replyWaiting = true;
}

/** The identities whose pace lets outreach go now, or the earliest wait when none does. */
function allowedByPace(
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

function decided(result: 'full' | 'busy' | PaceWait): PlanStep {
  return { kind: 'decided', result };
}
