import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/identity.module.js';
import { MailboxModule } from '../mailbox/mailbox.module.js';
import { OutboundModule } from '../outbound/outbound.module.js';
import { ClassifierService } from './ai/classifier.service.js';
import { AiUsageService } from './ai/ai-usage.service.js';
import { OpenAiProvider } from './ai/openai.provider.js';
import { RulesProvider } from './ai/rules.provider.js';
import { AiThreadRepository } from './ai-thread.repository.js';
import { AiUsageRepository } from './ai-usage.repository.js';
import { AiRepliesController } from './ai-replies.controller.js';
import { AiReplyService } from './ai-reply.service.js';
import { CatchUpService } from './catch-up.service.js';
import { DeliveryJob } from './delivery.job.js';
import { DeliveryLifecycleService } from './delivery-lifecycle.service.js';
import { EscalationStep } from './escalation.step.js';
import {
  AiReplyConsoleService,
  InboundMessageListingService,
  InboundSubscriptionListingService,
  ReplyPolicyListingService,
} from './inbound-console.service.js';
import { InboundConsoleRepository } from './inbound-console.repository.js';
import { InboundCron } from './inbound.cron.js';
import { InboundGraphClient } from './inbound-graph.client.js';
import { InboundListener } from './inbound.listener.js';
import { InboundMessageRepository } from './inbound-message.repository.js';
import { InboundMessagesController } from './inbound-messages.controller.js';
import { InboundQueryService } from './inbound-query.service.js';
import { InboundSettingsController } from './inbound-settings.controller.js';
import { InboundSettingsService } from './inbound-settings.service.js';
import { MessageProcessor } from './message.processor.js';
import { NotificationService } from './notification.service.js';
import { OptOutStep } from './opt-out.step.js';
import { OwnAddressesService } from './own-addresses.service.js';
import { PipelineService } from './pipeline.service.js';
import { ReplyPolicyRepository } from './reply-policy.repository.js';
import { ReplyDecisionStep } from './reply-decision.step.js';
import { ReplyStep } from './reply.step.js';
import { SubscriptionRepository } from './subscription.repository.js';
import { SubscriptionService } from './subscription.service.js';
import { ThreadOwnershipService } from './thread-ownership.service.js';
import { TriageStep } from './triage.step.js';
import { WebhookController } from './webhook.controller.js';

@Module({
  imports: [MailboxModule, IdentityModule, OutboundModule],
  controllers: [
    WebhookController,
    InboundMessagesController,
    AiRepliesController,
    InboundSettingsController,
  ],
  providers: [
    SubscriptionRepository,
    InboundMessageRepository,
    AiThreadRepository,
    AiUsageRepository,
    InboundGraphClient,
    InboundSettingsService,
    ReplyPolicyRepository,
    AiReplyService,
    InboundQueryService,
    SubscriptionService,
    CatchUpService,
    DeliveryJob,
    DeliveryLifecycleService,
    NotificationService,
    RulesProvider,
    OpenAiProvider,
    AiUsageService,
    ClassifierService,
    OwnAddressesService,
    ThreadOwnershipService,
    ReplyStep,
    OptOutStep,
    EscalationStep,
    TriageStep,
    ReplyDecisionStep,
    MessageProcessor,
    PipelineService,
    InboundListener,
    InboundCron,
    InboundConsoleRepository,
    InboundMessageListingService,
    InboundSubscriptionListingService,
    AiReplyConsoleService,
    ReplyPolicyListingService,
  ],
  exports: [
    InboundSettingsService,
    PipelineService,
    DeliveryJob,
    InboundMessageListingService,
    InboundSubscriptionListingService,
    AiReplyConsoleService,
    ReplyPolicyListingService,
  ],
})
export class InboundModule {}
