import { Injectable } from '@nestjs/common';
import type { MailboxConnected, MailboxDisconnected } from '../../common/events/mailbox.events.js';
import { OnDomainEvent } from '../../common/events/on-domain-event.js';
import type { IdentitySendAsDenied } from '../../common/events/outbound.events.js';
import { IdentityDiscoveryService } from './identity.service.js';
import { SendAsService } from './send-as.service.js';

/** Reactions to mailbox and outbound events; each tolerates repeats. */
@Injectable()
export class IdentityListener {
  constructor(
    private readonly discovery: IdentityDiscoveryService,
    private readonly sendAs: SendAsService,
  ) {}

  @OnDomainEvent('mailbox.connected')
  async onConnected(event: MailboxConnected): Promise<void> {
    await this.discovery.discoverUnlessRecent(event.mailboxId);
  }

  /** Microsoft refused Send As: out of rotation until verified again. */
  @OnDomainEvent('identity.send-as-denied')
  async onSendAsDenied(event: IdentitySendAsDenied): Promise<void> {
    await this.sendAs.markDenied(event.identityId, event.mailboxId);
  }

  @OnDomainEvent('mailbox.disconnected')
  async onDisconnected(event: MailboxDisconnected): Promise<void> {
    await this.discovery.retireMailbox(event.mailboxId);
  }
}
