import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/identity.module.js';
import { InboundModule } from '../inbound/inbound.module.js';
import { MailboxModule } from '../mailbox/mailbox.module.js';
import { EmailSetupPageController } from './email-setup-page.controller.js';
import { MailboxesController } from './mailboxes.controller.js';

/**
 * The HTTP surface that composes mailboxes with their identities (no state of its own), and the
 * reference Email Setup page built on the public REST API.
 */
@Module({
  imports: [MailboxModule, IdentityModule, InboundModule],
  controllers: [MailboxesController, EmailSetupPageController],
})
export class EmailSetupModule {}
