import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../common/auth/actor.js';
import { CurrentActor } from '../../common/auth/current-actor.decorator.js';
import {
  AiRepliesQuery,
  AiReplyListResponse,
  AiReplyResponse,
  ApproveReplyRequest,
  toAiReplyResponse,
} from './dto/ai-reply.dto.js';
import { AiReplyService } from './ai-reply.service.js';

/** AI replies: drafts awaiting review, delayed replies in their undo window, and sent ones. */
@ApiTags('inbound')
@ApiBearerAuth()
@Controller('v1/inbound/replies')
export class AiRepliesController {
  constructor(private readonly replies: AiReplyService) {}

  @Get()
  @ApiOkResponse({ type: AiReplyListResponse })
  async list(
    @CurrentActor() actor: Actor,
    @Query() query: AiRepliesQuery,
  ): Promise<AiReplyListResponse> {
    const page = await this.replies.list(actor, query, query.limit, query.cursor);
    return { items: page.items.map(toAiReplyResponse), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @ApiOkResponse({ type: AiReplyResponse })
  async get(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<AiReplyResponse> {
    return toAiReplyResponse(await this.replies.get(actor, id));
  }

  @Post(':id/approve')
  @HttpCode(200)
  @ApiOkResponse({ type: AiReplyResponse })
  async approve(
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Body() body: ApproveReplyRequest,
  ): Promise<AiReplyResponse> {
    return toAiReplyResponse(await this.replies.approve(actor, id, body.text));
  }

  @Post(':id/discard')
  @HttpCode(200)
  @ApiOkResponse({ type: AiReplyResponse })
  async discard(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<AiReplyResponse> {
    return toAiReplyResponse(await this.replies.discard(actor, id));
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOkResponse({ type: AiReplyResponse })
  async cancel(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<AiReplyResponse> {
    return toAiReplyResponse(await this.replies.cancel(actor, id));
  }
}
