import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { PageQuery } from '../../common/http/pagination.js';
import type { Actor } from '../../common/auth/actor.js';
import { CurrentActor } from '../../common/auth/current-actor.decorator.js';
import { toIdentityResponse } from '../identity/dto/identity.dto.js';
import { IdentityDiscoveryService } from '../identity/identity.service.js';
import { IdentityQueryService } from '../identity/identity-query.service.js';
import { InboundSettingsRequest } from '../inbound/dto/inbound-settings.request.js';
import { InboundSettingsService } from '../inbound/inbound-settings.service.js';
import { MailboxNotFoundError } from '../mailbox/mailbox.errors.js';
import type { ListedMailbox } from '../mailbox/mailbox.service.js';
import { MailboxService } from '../mailbox/mailbox.service.js';
import {
  MailboxListResponse,
  MailboxResponse,
  RefreshedMailboxResponse,
  toMailboxResponse,
} from './dto/mailbox.response.js';

const MAILBOX_ID = new ParseUUIDPipe({ exceptionFactory: () => new MailboxNotFoundError() });

/** Email Setup's Connected Mailboxes: mailboxes with their identity tables. */
@ApiTags('mailboxes')
@ApiBearerAuth()
@Controller('v1/mailboxes')
export class MailboxesController {
  constructor(
    private readonly mailboxes: MailboxService,
    private readonly identities: IdentityQueryService,
    private readonly discovery: IdentityDiscoveryService,
    private readonly inbound: InboundSettingsService,
  ) {}

  @Get()
  @ApiOkResponse({ type: MailboxListResponse })
  async list(@CurrentActor() actor: Actor, @Query() page: PageQuery): Promise<MailboxListResponse> {
    const result = await this.mailboxes.list(actor, page.limit, page.cursor);
    return { items: await this.withIdentities(result.items), nextCursor: result.nextCursor };
  }

  @Get(':id')
  @ApiOkResponse({ type: MailboxResponse })
  async get(
    @CurrentActor() actor: Actor,
    @Param('id', MAILBOX_ID) id: string,
  ): Promise<MailboxResponse> {
    const [mailbox] = await this.withIdentities([await this.mailboxes.get(actor, id)]);
    return mailbox;
  }

  /** Refresh: re-scan the mailbox's identities now ("No identities appear" → Refresh). */
  @Post(':id/refresh')
  @HttpCode(200)
  @ApiOkResponse({ type: RefreshedMailboxResponse })
  async refresh(
    @CurrentActor() actor: Actor,
    @Param('id', MAILBOX_ID) id: string,
  ): Promise<RefreshedMailboxResponse> {
    const mailbox = await this.mailboxes.get(actor, id);
    const changes = await this.discovery.refresh(mailbox.id);
    const [body] = await this.withIdentities([await this.mailboxes.get(actor, id)]);
    return {
      ...body,
      changes: {
        added: changes.added.map(toIdentityResponse),
        removed: changes.removed.map(toIdentityResponse),
      },
    };
  }

  /** Inbound AI toggle, Mailbox Purpose and AI Behavior; enabling starts delivery. */
  @Patch(':id/inbound')
  @ApiOkResponse({ type: MailboxResponse })
  async updateInbound(
    @CurrentActor() actor: Actor,
    @Param('id', MAILBOX_ID) id: string,
    @Body() body: InboundSettingsRequest,
  ): Promise<MailboxResponse> {
    const [mailbox] = await this.withIdentities([await this.inbound.update(actor, id, body)]);
    return mailbox;
  }

  @Delete(':id')
  @HttpCode(204)
  async disconnect(
    @CurrentActor() actor: Actor,
    @Param('id', MAILBOX_ID) id: string,
  ): Promise<void> {
    await this.mailboxes.disconnect(actor, id);
  }

  private async withIdentities(rows: ListedMailbox[]): Promise<MailboxResponse[]> {
    const found = await this.identities.forMailboxes(rows.map((row) => row.id));
    return rows.map((row) => toMailboxResponse(row, found.get(row.id)));
  }
}
