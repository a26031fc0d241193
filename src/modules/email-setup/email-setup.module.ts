import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/identity.module.js';
import { InboundModule } from '../inbound/inbound.module.js';
import { MailboxModule } from '../mailbox/mailbox.module.js';
import { MailboxesController } from './mailboxes.controller.js';

/** The HTTP surface that composes mailboxes with their identities (no state of its own). */
@Module({
  imports: [MailboxModule, IdentityModule, InboundModule],
  controllers: [MailboxesController],
})
export class EmailSetupModule {}
