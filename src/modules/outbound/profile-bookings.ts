import type { SendableIdentity } from '../identity/identity-query.service.js';
import type { PrefetchedCredential } from '../mailbox/mailbox-graph.service.js';
import type {
  IdentityReservationService,
  ReservationResult,
} from './identity-reservation.service.js';
import type { MessageRow } from './outbound.repository.js';

/** Bookings of one profile taken in one group at most. */
const MAX_PER_GROUP = 16;
/** Groups a message may be left out of (`again`) before it is deferred briefly (`busy`). */
const MAX_AGAIN = 3;

type Final = Exclude<ReservationResult, 'again'>;

/** The delegated credentials of these mailboxes, in one read (MailboxGraphService). */
export type Prefetch = (mailboxIds: string[]) => Promise<Map<string, PrefetchedCredential>>;

interface Request {
  message: MessageRow;
  candidates: SendableIdentity[];
  profile: { pace: unknown } | null;
  again: number;
  resolve: (result: Final) => void;
  reject: (error: unknown) => void;
}

/**
 * Group booking per sender profile, in one process: the bookings of a profile that workers ask
 * for while a group of its bookings is in flight go together in the next group
 * (IdentityReservationService.reserveMany), in the order asked. Nothing waits for a timer:
 * alone, a booking goes at once. A message a group left for later leads the next group. The
 * delegated credentials of the mailboxes a group booked are read in one statement and go with
 * its reservations (each send would read its own otherwise).
 */
export class ProfileBookings {
  private readonly pending = new Map<string, Request[]>();

  constructor(
    private readonly reservations: IdentityReservationService,
    private readonly prefetch: Prefetch,
  ) {}

  book(
    message: MessageRow,
    candidates: SendableIdentity[],
    profile: { pace: unknown } | null,
  ): Promise<Final> {
    return new Promise((resolve, reject) => {
      const key = message.senderProfileId;
      const request = { message, candidates, profile, again: 0, resolve, reject };
      const queue = this.pending.get(key);
      if (queue) queue.push(request);
      else {
        this.pending.set(key, [request]);
        void this.flush(key);
      }
    });
  }

  private async flush(key: string): Promise<void> {
    const queue = this.pending.get(key)!;
    try {
      while (queue.length > 0) {
        const group = queue.splice(0, MAX_PER_GROUP);
        try {
          // The newest profile row read decides the pace (all are read within a second).
          const results = await this.reservations.reserveMany(group, group.at(-1)!.profile);
          await this.withCredentials(results);
          const again = group.filter((r, i) => results[i] === 'again' && ++r.again < MAX_AGAIN);
          queue.unshift(...again);
          for (const [i, request] of group.entries()) {
            const result = results[i];
            if (result !== 'again') request.resolve(result);
            // Left out again and again (mailboxes locked by other profiles' bookings): it
            // looks again shortly, as a busy mailbox's message does.
            else if (request.again >= MAX_AGAIN) request.resolve('busy');
          }
        } catch (error) {
          for (const request of group) request.reject(error);
        }
      }
    } finally {
      this.pending.delete(key);
    }
  }

  /** Hands each booking its mailbox's delegated credential (a failed read: each reads its own). */
  private async withCredentials(results: ReservationResult[]): Promise<void> {
    const booked = results.filter((r) => typeof r === 'object' && 'identity' in r);
    const delegated = booked
      .filter((r) => r.identity.connectionType === 'delegated')
      .map((r) => r.identity.mailboxId);
    if (delegated.length === 0) return;
    const credentials = await this.prefetch([...new Set(delegated)]).catch(() => null);
    for (const r of booked) r.credential = credentials?.get(r.identity.mailboxId);
  }
}
