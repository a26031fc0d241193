import { Injectable, Logger } from '@nestjs/common';
import { OnDomainEvent } from '../../common/events/on-domain-event.js';
import type { MailboxConnected, MailboxDisconnected } from '../mailbox/mailbox.events.js';
import type { IdentitySendAsDenied } from '../outbound/outbound.events.js';
import { IdentityRepository } from './identity.repository.js';
import { IdentityScanRepository } from './identity-scan.repository.js';
import { IdentityDiscoveryService } from './identity.service.js';

/** Reactions to mailbox events; each tolerates repeats. */
@Injectable()
export class IdentityListener {
  private readonly logger = new Logger(IdentityListener.name);

  constructor(
    private readonly discovery: IdentityDiscoveryService,
    private readonly identities: IdentityRepository,
    private readonly scans: IdentityScanRepository,
  ) {}

  /** Discover unless the connect flow already did it inline after this connection. */
  @OnDomainEvent('mailbox.connected')
  async onConnected(event: MailboxConnected): Promise<void> {
    const scan = await this.scans.find(event.mailboxId);
    if (scan?.scannedAt && scan.scannedAt.getTime() > Date.now() - 5 * 60_000) return;
    await this.discovery.discover(event.mailboxId);
  }

  /** Microsoft refused Send As: out of rotation until verified again. */
  @OnDomainEvent('identity.send-as-denied')
  async onSendAsDenied(event: IdentitySendAsDenied): Promise<void> {
    await this.identities.markSendAsDenied(event.identityId);
    this.logger.warn(
      { identityId: event.identityId, mailboxId: event.mailboxId },
      'identity marked send_as_denied',
    );
  }

  @OnDomainEvent('mailbox.disconnected')
  async onDisconnected(event: MailboxDisconnected): Promise<void> {
    const retired = await this.identities.retireMailbox(event.mailboxId);
    this.logger.log({ mailboxId: event.mailboxId, retired }, 'identities retired');
  }
}
