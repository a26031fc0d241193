import { Injectable } from '@nestjs/common';
import type {
  MailboxConnected,
  MailboxDisconnected,
  MailboxReauthRequired,
} from '../../common/events/mailbox.events.js';
import { OnDomainEvent } from '../../common/events/on-domain-event.js';
import type { OutboundMessageSent } from '../../common/events/outbound.events.js';
import { DeliveryLifecycleService } from './delivery-lifecycle.service.js';
import { ThreadOwnershipService } from './thread-ownership.service.js';

/** Reactions to mailbox and outbound events; each tolerates repeats. */
@Injectable()
export class InboundListener {
  constructor(
    private readonly lifecycle: DeliveryLifecycleService,
    private readonly ownership: ThreadOwnershipService,
  ) {}

  /** A reconnected mailbox (after re-auth) delivers again. */
  @OnDomainEvent('mailbox.connected')
  async onConnected(event: MailboxConnected): Promise<void> {
    await this.lifecycle.resume(event.mailboxId);
  }

  @OnDomainEvent('mailbox.reauth-required')
  async onReauthRequired(event: MailboxReauthRequired): Promise<void> {
    await this.lifecycle.pause(event.mailboxId, 'mailbox_needs_reauth');
  }

  @OnDomainEvent('mailbox.disconnected')
  async onDisconnected(event: MailboxDisconnected): Promise<void> {
    await this.lifecycle.stop(event.mailboxId);
  }

  /** Every sent message makes its thread the product's own (Reply Only). */
  @OnDomainEvent('outbound.message-sent')
  async onMessageSent(event: OutboundMessageSent): Promise<void> {
    await this.ownership.recordSent(event);
  }
}
