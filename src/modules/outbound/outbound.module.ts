import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/identity.module.js';
import { MailboxModule } from '../mailbox/mailbox.module.js';
import { SenderProfileModule } from '../sender-profile/sender-profile.module.js';
import { DispatchService } from './dispatch.service.js';
import { IdentityReservationService } from './identity-reservation.service.js';
import { MailboxTimeZoneService } from './mailbox-time-zone.service.js';
import { OutboundController } from './outbound.controller.js';
import { OutboundListingRepository } from './outbound-listing.repository.js';
import { OutboundListingService } from './outbound-listing.service.js';
import { OutboundCron } from './outbound.cron.js';
import { OutboundListener } from './outbound.listener.js';
import { OutboundRepository } from './outbound.repository.js';
import { OutboundService } from './outbound.service.js';
import { ReplyRepository } from './reply.repository.js';
import { ReplyService } from './reply.service.js';
import { SendMailClient } from './send-mail.client.js';
import { SenderProfileRemovalService } from './sender-profile-removal.service.js';
import { InterruptedSendRecovery } from './interrupted-send.recovery.js';
import { SendOutcomeRecorder } from './send-outcome.recorder.js';
import { SentDetailsCron } from './sent-details.cron.js';
import { SentDetailsJob } from './sent-details.job.js';
import { SentDetailsRepository } from './sent-details.repository.js';
import { SentItemsChecker } from './sent-items.checker.js';
import { SuppressionController } from './suppression.controller.js';
import { SuppressionListener } from './suppression.listener.js';
import { SuppressionRepository } from './suppression.repository.js';
import { SuppressionService } from './suppression.service.js';
import { SuppressionConsoleRepository } from './suppression-console.repository.js';
import { SuppressionListingService } from './suppression-console.service.js';

@Module({
  imports: [MailboxModule, IdentityModule, SenderProfileModule],
  controllers: [OutboundController, SuppressionController],
  providers: [
    OutboundRepository,
    OutboundService,
    DispatchService,
    IdentityReservationService,
    MailboxTimeZoneService,
    SendMailClient,
    SentItemsChecker,
    SendOutcomeRecorder,
    InterruptedSendRecovery,
    SenderProfileRemovalService,
    OutboundListener,
    OutboundCron,
    ReplyRepository,
    ReplyService,
    SuppressionRepository,
    SuppressionService,
    SuppressionConsoleRepository,
    SuppressionListingService,
    SuppressionListener,
    OutboundListingRepository,
    OutboundListingService,
    SentDetailsRepository,
    SentDetailsJob,
    SentDetailsCron,
  ],
  exports: [
    OutboundService,
    OutboundListingService,
    DispatchService,
    ReplyService,
    SuppressionService,
    SuppressionListingService,
  ],
})
export class OutboundModule {}
