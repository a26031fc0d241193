import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiHeader,
  ApiOkResponse,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { ValidationFailedError } from '../../common/errors/domain-error.js';
import type { Actor } from '../../common/auth/actor.js';
import { CurrentActor } from '../../common/auth/current-actor.decorator.js';
import { SenderProfileNotFoundError } from '../sender-profile/sender-profile.errors.js';
import {
  OutboundMessageResponse,
  SendMessageRequest,
  toMessageResponse,
} from './dto/message.dto.js';
import { MessageListQuery, OutboundMessageListResponse } from './dto/message-list.dto.js';
import { MessageNotFoundError } from './outbound.errors.js';
import { OutboundService } from './outbound.service.js';
import { SenderProfileRemovalService } from './sender-profile-removal.service.js';

const MESSAGE_ID = new ParseUUIDPipe({ exceptionFactory: () => new MessageNotFoundError() });
const KEY = /^[\x21-\x7e]{1,255}$/;

@ApiTags('messages')
@ApiBearerAuth()
@Controller('v1')
export class OutboundController {
  constructor(
    private readonly outbound: OutboundService,
    private readonly removal: SenderProfileRemovalService,
  ) {}

  /** Accepts a message for sending (202); it goes out through the dispatcher. */
  @Post('messages')
  @HttpCode(202)
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Replays return the original message',
  })
  @ApiAcceptedResponse({ type: OutboundMessageResponse })
  async send(
    @CurrentActor() actor: Actor,
    @Body() body: SendMessageRequest,
    @Headers('idempotency-key') key?: string,
  ): Promise<OutboundMessageResponse> {
    if (key !== undefined && !KEY.test(key)) {
      throw new ValidationFailedError([
        { field: 'Idempotency-Key', message: 'must be 1–255 printable ASCII characters' },
      ]);
    }
    return toMessageResponse(await this.outbound.accept(actor, body, key));
  }

  /** Messages of the workspace, newest first (`status`, `senderProfileId` filters; cursor paging). */
  @Get('messages')
  @ApiOkResponse({ type: OutboundMessageListResponse })
  async list(
    @CurrentActor() actor: Actor,
    @Query() query: MessageListQuery,
  ): Promise<OutboundMessageListResponse> {
    const page = await this.outbound.list(actor, query);
    return { items: page.items.map(toMessageResponse), nextCursor: page.nextCursor };
  }

  @Get('messages/:id')
  @ApiOkResponse({ type: OutboundMessageResponse })
  async get(
    @CurrentActor() actor: Actor,
    @Param('id', MESSAGE_ID) id: string,
  ): Promise<OutboundMessageResponse> {
    return toMessageResponse(await this.outbound.get(actor, id));
  }

  /** Deletes a sender profile; refuses (409) while it has queued messages unless force=true cancels them. */
  @Delete('sender-profiles/:id')
  @HttpCode(204)
  @ApiTags('sender-profiles')
  @ApiQuery({ name: 'force', required: false, type: Boolean })
  async deleteProfile(
    @CurrentActor() actor: Actor,
    @Param('id', new ParseUUIDPipe({ exceptionFactory: () => new SenderProfileNotFoundError() }))
    id: string,
    @Query('force') force?: string,
  ): Promise<void> {
    await this.removal.remove(actor, id, force === 'true');
  }
}
