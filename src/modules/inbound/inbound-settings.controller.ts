import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../common/auth/actor.js';
import { CurrentActor } from '../../common/auth/current-actor.decorator.js';
import { ReplyPolicyResponse, toReplyPolicyResponse } from './dto/reply-policy.response.js';
import { InboundSettingsService } from './inbound-settings.service.js';

/** Reads a mailbox's AI reply guard rails (they are changed with PATCH /v1/mailboxes/:id/inbound). */
@ApiTags('inbound')
@ApiBearerAuth()
@Controller('v1/inbound/mailboxes')
export class InboundSettingsController {
  constructor(private readonly settings: InboundSettingsService) {}

  @Get(':mailboxId/reply-policy')
  @ApiOkResponse({ type: ReplyPolicyResponse })
  async policy(
    @CurrentActor() actor: Actor,
    @Param('mailboxId') mailboxId: string,
  ): Promise<ReplyPolicyResponse> {
    return toReplyPolicyResponse(mailboxId, await this.settings.policyOf(actor, mailboxId));
  }
}
