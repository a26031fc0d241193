import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { PageQuery } from '../../common/http/pagination.js';
import type { Actor } from '../../common/auth/actor.js';
import { CurrentActor } from '../../common/auth/current-actor.decorator.js';
import {
  CreateSenderProfileRequest,
  UpdateSenderProfileRequest,
} from './dto/sender-profile.request.js';
import {
  SenderProfileListResponse,
  SenderProfileResponse,
  toSenderProfileResponse,
} from './dto/sender-profile.response.js';
import { SenderProfileNotFoundError } from './sender-profile.errors.js';
import { SenderProfileService } from './sender-profile.service.js';

export const SENDER_PROFILE_ID = new ParseUUIDPipe({
  exceptionFactory: () => new SenderProfileNotFoundError(),
});

/** Sender profiles (DELETE is served by the outbound module: it refuses while sends are queued). */
@ApiTags('sender-profiles')
@ApiBearerAuth()
@Controller('v1/sender-profiles')
export class SenderProfileController {
  constructor(private readonly profiles: SenderProfileService) {}

  @Get()
  @ApiOkResponse({ type: SenderProfileListResponse })
  async list(
    @CurrentActor() actor: Actor,
    @Query() page: PageQuery,
  ): Promise<SenderProfileListResponse> {
    const result = await this.profiles.list(actor, page.limit, page.cursor);
    return { items: result.items.map(toSenderProfileResponse), nextCursor: result.nextCursor };
  }

  @Post()
  @ApiCreatedResponse({ type: SenderProfileResponse })
  async create(
    @CurrentActor() actor: Actor,
    @Body() body: CreateSenderProfileRequest,
  ): Promise<SenderProfileResponse> {
    const input = {
      name: body.name,
      fromName: body.fromName,
      replyTo: body.replyTo ?? null,
      pace: body.pace,
    };
    return toSenderProfileResponse(await this.profiles.create(actor, input));
  }

  @Get(':id')
  @ApiOkResponse({ type: SenderProfileResponse })
  async get(
    @CurrentActor() actor: Actor,
    @Param('id', SENDER_PROFILE_ID) id: string,
  ): Promise<SenderProfileResponse> {
    return toSenderProfileResponse(await this.profiles.get(actor, id));
  }

  @Patch(':id')
  @ApiOkResponse({ type: SenderProfileResponse })
  async update(
    @CurrentActor() actor: Actor,
    @Param('id', SENDER_PROFILE_ID) id: string,
    @Body() body: UpdateSenderProfileRequest,
  ): Promise<SenderProfileResponse> {
    const patch = {
      name: body.name,
      fromName: body.fromName,
      replyTo: body.replyTo,
      pace: body.pace,
    };
    return toSenderProfileResponse(await this.profiles.update(actor, id, patch));
  }
}
