import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../common/config/app-config.js';
import { OutboundRepository, type MessageRow } from './outbound.repository.js';
import { SendOutcomeRecorder } from './send-outcome.recorder.js';
import { SentItemsChecker } from './sent-items.checker.js';

const RECHECK_MS = 60_000;

export type RecoveryOutcome = 'recovered' | 'retry' | 'deferred' | 'failed';

/**
 * A message left `sending` (the process died between booking and recording) may or may not
 * have reached Microsoft: its marker is looked up in the mailbox's Sent Items before any resend.
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
    let found;
    try {
      found = message.mailboxId
        ? await this.sentItems.find(message.mailboxId, message.marker)
        : undefined;
    } catch (error) {
      return this.uncheckable(message, error);
    }
    if (found) {
      await this.outcomes.sent(message, found);
      this.logger.warn(
        { messageId: message.id },
        'found in Sent Items after an interrupted send: not sending again',
      );
      return 'recovered';
    }
    await this.messages.requeue(message.id, new Date());
    this.logger.warn({ messageId: message.id }, 'interrupted send not in Sent Items: queued again');
    return 'retry';
  }

  /** Sent Items cannot be read now: keep the message as it is and look again later. */
  private async uncheckable(message: MessageRow, error: unknown): Promise<RecoveryOutcome> {
    const reason = error instanceof Error ? error.message : 'unknown';
    if (message.attempts >= this.config.outbound.maxAttempts) {
      await this.outcomes.failed(message, {
        code: 'send_outcome_unknown',
        message: `Could not confirm whether the message was sent (${reason}).`,
      });
      return 'failed';
    }
    await this.messages.deferCheck(message.id, new Date(Date.now() + RECHECK_MS));
    return 'deferred';
  }
}
