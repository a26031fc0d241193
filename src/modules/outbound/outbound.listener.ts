import { Injectable, Logger } from '@nestjs/common';
import { OnDomainEvent } from '../../common/events/on-domain-event.js';
import { IdentityQueryService } from '../identity/identity-query.service.js';
import type { MailboxDisconnected } from '../mailbox/mailbox.events.js';
import { OutboundRepository } from './outbound.repository.js';

@Injectable()
export class OutboundListener {
  private readonly logger = new Logger(OutboundListener.name);

  constructor(
    private readonly messages: OutboundRepository,
    private readonly identities: IdentityQueryService,
  ) {}

  /**
   * Queued messages of profiles the disconnect left with no identity that can send are
   * cancelled; profiles with other identities keep sending through them. Idempotent.
   */
  @OnDomainEvent('mailbox.disconnected')
  async onDisconnected(event: MailboxDisconnected): Promise<void> {
    for (const profileId of await this.messages.profilesWithQueued(event.workspaceId)) {
      if ((await this.identities.sendableForProfile(profileId)).length > 0) continue;
      const { count } = await this.messages.cancelQueued(
        { senderProfileId: profileId },
        'mailbox_disconnected',
      );
      this.logger.log(
        { mailboxId: event.mailboxId, senderProfileId: profileId, cancelled: count },
        'queued messages of a profile left without identities cancelled',
      );
    }
  }
}
