import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../common/auth/actor.js';
import { CurrentActor } from '../../common/auth/current-actor.decorator.js';
import {
  InboundMessageListResponse,
  InboundMessagesQuery,
  toInboundMessageResponse,
} from './dto/inbound-message.response.js';
import { InboundQueryService } from './inbound-query.service.js';

/** Explainability: what the AI did with each received message, and why. */
@ApiTags('inbound')
@ApiBearerAuth()
@Controller('v1/inbound/messages')
export class InboundMessagesController {
  constructor(private readonly inbound: InboundQueryService) {}

  @Get()
  @ApiOkResponse({ type: InboundMessageListResponse })
  async list(
    @CurrentActor() actor: Actor,
    @Query() query: InboundMessagesQuery,
  ): Promise<InboundMessageListResponse> {
    const page = await this.inbound.list(
      actor,
      { mailboxId: query.mailboxId, action: query.action },
      query.limit,
      query.cursor,
    );
    return { items: page.items.map(toInboundMessageResponse), nextCursor: page.nextCursor };
  }
}
