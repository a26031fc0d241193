import { Injectable, Logger } from '@nestjs/common';
import { OnDomainEvent } from '../../common/events/on-domain-event.js';
import type { MailboxDisconnected } from '../mailbox/mailbox.events.js';
import { OutboundRepository } from './outbound.repository.js';

@Injectable()
export class OutboundListener {
  private readonly logger = new Logger(OutboundListener.name);

  constructor(private readonly messages: OutboundRepository) {}

  /** Messages waiting on the disconnected mailbox are cancelled (idempotent). */
  @OnDomainEvent('mailbox.disconnected')
  async onDisconnected(event: MailboxDisconnected): Promise<void> {
    const { count } = await this.messages.cancelQueued({ mailboxId: event.mailboxId });
    if (count)
      this.logger.log(
        { mailboxId: event.mailboxId, cancelled: count },
        'queued messages cancelled',
      );
  }
}
