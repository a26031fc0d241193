import { Injectable } from '@nestjs/common';
import type { MailboxDisconnected } from '../../common/events/mailbox.events.js';
import { OnDomainEvent } from '../../common/events/on-domain-event.js';
import { OutboundService } from './outbound.service.js';

@Injectable()
export class OutboundListener {
  constructor(private readonly outbound: OutboundService) {}

  /** Queued messages of profiles the disconnect left without a sendable identity are cancelled. */
  @OnDomainEvent('mailbox.disconnected')
  async onDisconnected(event: MailboxDisconnected): Promise<void> {
    await this.outbound.cancelWhereNoIdentityLeft(event.workspaceId, event.mailboxId);
  }
}
