import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../common/config/app-config.js';
import { PrismaService } from '../../common/database/prisma.service.js';
import type { Tx } from '../../common/database/transaction.js';
import type { SendableIdentity } from '../identity/identity-query.service.js';
import { OutboundRepository, type MessageRow } from './outbound.repository.js';
import { type MailboxLimits, rotationOrder, underLimits } from './outbound.rules.js';

export interface Reservation {
  message: MessageRow;
  identity: SendableIdentity;
}

/** `full`: every mailbox is at its limit; `lost`: the message is no longer this worker's. */
export type ReservationResult = Reservation | 'full' | 'lost';

/**
 * Chooses the identity a message goes out from and books it, in one short transaction:
 * under the sender profile's lock (so rotation is decided on what every instance booked before,
 * never on a stale read), the least recently used identity whose mailbox is under Exchange's
 * limits; the mailbox's own lock makes its limit check and the booking atomic for every
 * profile that sends through it.
 */
@Injectable()
export class IdentityReservationService {
  constructor(
    private readonly messages: OutboundRepository,
    private readonly prisma: PrismaService,
    private readonly config: AppConfig,
  ) {}

  /** The booked message and identity, or why there is none. */
  reserve(message: MessageRow, candidates: SendableIdentity[]): Promise<ReservationResult> {
    return this.prisma.$transaction(async (tx) => {
      await this.messages.lockProfile(tx, message.senderProfileId);
      const mailboxIds = [...new Set(candidates.map((c) => c.mailboxId))];
      const usage = await this.messages.mailboxUsage(tx, mailboxIds, this.countedWindowMs());
      const used = await this.messages.lastUsed(
        candidates.map((c) => c.identityId),
        tx,
      );
      const ordered = rotationOrder(
        candidates
          .filter((c) =>
            underLimits(usage.get(c.mailboxId)!, message.recipientCount, this.limits()),
          )
          .map((c) => ({ ...c, lastUsedAt: used.get(c.identityId) ?? null })),
      );
      return this.bookFirst(tx, message, ordered);
    });
  }

  /** Window counted for the limit: Exchange's, plus the receive margin. */
  countedWindowMs(): number {
    return this.config.outbound.mailboxWindowMs + this.config.outbound.mailboxWindowMarginMs;
  }

  /**
   * Books on the first identity in rotation order whose mailbox still has room once its lock is
   * held. Only the first mailbox lock is waited for: holding one, never wait for another (no
   * lock cycles between profiles that share mailboxes).
   */
  private async bookFirst(
    tx: Tx,
    message: MessageRow,
    ordered: SendableIdentity[],
  ): Promise<ReservationResult> {
    let holding = false;
    for (const identity of ordered) {
      const key = `mailbox:${identity.mailboxId}`;
      if (!holding) await this.messages.lock(tx, key);
      else if (!(await this.messages.tryLock(tx, key))) continue;
      holding = true;
      const usage = await this.messages.mailboxUsage(
        tx,
        [identity.mailboxId],
        this.countedWindowMs(),
      );
      if (!underLimits(usage.get(identity.mailboxId)!, message.recipientCount, this.limits()))
        continue;
      const from = {
        identityId: identity.identityId,
        mailboxId: identity.mailboxId,
        fromEmail: identity.email,
      };
      const booked = await this.messages.markSending(
        tx,
        message.id,
        from,
        this.config.outbound.sendLeaseMs,
      );
      return booked ? { message: booked, identity } : 'lost';
    }
    return 'full';
  }

  private limits(): MailboxLimits {
    return {
      messagesPerWindow: this.config.outbound.mailboxMessagesPerWindow,
      recipientsPerDay: this.config.outbound.mailboxRecipientsPerDay,
    };
  }
}
