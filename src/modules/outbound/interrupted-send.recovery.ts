import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../common/config/app-config.js';
import { OutboundRepository, type MessageRow } from './outbound.repository.js';
import { outcomeCheckDelayMs } from './outbound.rules.js';
import { SendOutcomeRecorder } from './send-outcome.recorder.js';
import { SentItemsChecker } from './sent-items.checker.js';

export type RecoveryOutcome = 'recovered' | 'retry' | 'unknown' | 'failed';

/** After this long without a readable Sent Items, the message fails as send_outcome_unknown. */
const GIVE_UP_MS = 24 * 3600_000;

/**
 * A message left `sending` — the process died between booking and recording, or sendMail got
 * no answer — may or may not have reached Microsoft. Its marker is looked up in the mailbox's
 * Sent Items: found → sent; not found once Exchange has had time to file the copy → queued
 * again; Sent Items unreadable → asked again later, never read as "not sent".
 */
@Injectable()
export class InterruptedSendRecovery {
  private readonly logger = new Logger(InterruptedSendRecovery.name);

  constructor(
    private readonly messages: OutboundRepository,
    private readonly sentItems: SentItemsChecker,
    private readonly outcomes: SendOutcomeRecorder,
    private readonly config: AppConfig,
  ) {}

  async recover(message: MessageRow): Promise<RecoveryOutcome> {
    if (!message.mailboxId) return this.requeue(message);
    let found;
    try {
      found = await this.sentItems.find(message.mailboxId, message.marker);
    } catch (error) {
      return this.uncheckable(message, error);
    }
    if (found) {
      await this.outcomes.sent(message, found);
      this.logger.warn({ messageId: message.id }, 'found in Sent Items: recorded as sent');
      return 'recovered';
    }
    const settledAt = this.startedAt(message) + this.config.outbound.sentItemsSettleMs;
    if (Date.now() < settledAt) {
      await this.messages.deferCheck(message.id, new Date(settledAt));
      return 'unknown';
    }
    return this.requeue(message);
  }

  private async requeue(message: MessageRow): Promise<RecoveryOutcome> {
    await this.messages.requeue(message.id, new Date());
    this.logger.warn({ messageId: message.id }, 'interrupted send not in Sent Items: queued again');
    return 'retry';
  }

  /** Sent Items cannot be read now: keep the message as it is and look again later. */
  private async uncheckable(message: MessageRow, error: unknown): Promise<RecoveryOutcome> {
    const reason = error instanceof Error ? error.message : 'unknown';
    const elapsed = Date.now() - this.startedAt(message);
    if (elapsed > GIVE_UP_MS) {
      await this.outcomes.failed(message, {
        code: 'send_outcome_unknown',
        message: `Could not confirm whether the message was sent (${reason}).`,
      });
      return 'failed';
    }
    this.logger.warn({ messageId: message.id, reason }, 'Sent Items not readable; will look again');
    await this.messages.deferCheck(
      message.id,
      new Date(Date.now() + outcomeCheckDelayMs(elapsed)),
      {
        code: 'send_outcome_unknown',
        message: `Checking Sent Items before any resend (${reason.slice(0, 200)}).`,
      },
    );
    return 'unknown';
  }

  private startedAt(message: MessageRow): number {
    return message.sendingStartedAt?.getTime() ?? message.updatedAt.getTime();
  }
}
