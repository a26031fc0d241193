import { Body, Controller, Delete, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../common/auth/actor.js';
import { CurrentActor } from '../../common/auth/current-actor.decorator.js';
import { MailboxNotFoundError } from '../mailbox/mailbox.errors.js';
import { AddSendAsRequest, IdentityResponse, toIdentityResponse } from './dto/identity.dto.js';
import { IdentityNotFoundError } from './identity.errors.js';
import { SendAsService } from './send-as.service.js';

const IDENTITY_ID = new ParseUUIDPipe({ exceptionFactory: () => new IdentityNotFoundError() });
const MAILBOX_ID = new ParseUUIDPipe({ exceptionFactory: () => new MailboxNotFoundError() });

@ApiTags('identities')
@ApiBearerAuth()
@Controller('v1')
export class IdentityController {
  constructor(private readonly sendAs: SendAsService) {}

  @Post('mailboxes/:id/send-as')
  @ApiCreatedResponse({ type: IdentityResponse })
  async addSendAs(
    @CurrentActor() actor: Actor,
    @Param('id', MAILBOX_ID) mailboxId: string,
    @Body() body: AddSendAsRequest,
  ): Promise<IdentityResponse> {
    return toIdentityResponse(await this.sendAs.add(actor, mailboxId, body));
  }

  @Post('identities/:id/verify')
  @HttpCode(200)
  @ApiOkResponse({ type: IdentityResponse })
  async verify(
    @CurrentActor() actor: Actor,
    @Param('id', IDENTITY_ID) id: string,
  ): Promise<IdentityResponse> {
    return toIdentityResponse(await this.sendAs.verify(actor, id));
  }

  @Delete('identities/:id')
  @HttpCode(204)
  async remove(@CurrentActor() actor: Actor, @Param('id', IDENTITY_ID) id: string): Promise<void> {
    await this.sendAs.remove(actor, id);
  }
}
