import { Injectable } from '@nestjs/common';
import type { MailboxConnected, MailboxDisconnected } from '../../common/events/mailbox.events.js';
import type { SenderProfilePaceChanged } from '../../common/events/sender-profile.events.js';
import { OnDomainEvent } from '../../common/events/on-domain-event.js';
import { OutboundService } from './outbound.service.js';

@Injectable()
export class OutboundListener {
  constructor(private readonly outbound: OutboundService) {}

  /** Queued messages of profiles the disconnect left without a sendable identity are cancelled. */
  /** A reconnected mailbox: what was waiting for it goes now, not at its next check. */
  @OnDomainEvent('mailbox.connected')
  async onConnected(event: MailboxConnected): Promise<void> {
    await this.outbound.wakeWaiting(event.workspaceId, event.mailboxId);
  }

  /** A changed pace: what the old one held back is decided again now. */
  @OnDomainEvent('sender-profile.pace-changed')
  async onPaceChanged(event: SenderProfilePaceChanged): Promise<void> {
    await this.outbound.wakePaced(event.workspaceId, event.senderProfileId);
  }

  @OnDomainEvent('mailbox.disconnected')
  async onDisconnected(event: MailboxDisconnected): Promise<void> {
    await this.outbound.cancelWhereNoIdentityLeft(event.workspaceId, event.mailboxId);
  }
}
