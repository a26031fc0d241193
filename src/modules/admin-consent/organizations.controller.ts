import {
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../../common/auth/actor.js';
import { CurrentActor } from '../../common/auth/current-actor.decorator.js';
import { PageQuery } from '../../common/http/pagination.js';
import { OrganizationNotFoundError } from './admin-consent.errors.js';
import {
  OrganizationListResponse,
  OrganizationResponse,
  REMOVAL_NOTICE,
  RemovedOrganizationResponse,
  toOrganizationResponse,
} from './dto/organization.response.js';
import { OrganizationService } from './organization.service.js';

const ORGANIZATION_ID = new ParseUUIDPipe({
  exceptionFactory: () => new OrganizationNotFoundError(),
});
/** How long the Sync button waits for the sync before answering 202 `syncing`. */
const SYNC_WAIT_MS = 10_000;

@ApiTags('organizations')
@ApiBearerAuth()
@Controller('v1/organizations')
export class OrganizationsController {
  constructor(private readonly organizations: OrganizationService) {}

  @Get()
  @ApiOkResponse({ type: OrganizationListResponse })
  async list(
    @CurrentActor() actor: Actor,
    @Query() page: PageQuery,
  ): Promise<OrganizationListResponse> {
    const result = await this.organizations.list(actor, page.limit, page.cursor);
    return { items: result.items.map(toOrganizationResponse), nextCursor: result.nextCursor };
  }

  @Get(':id')
  @ApiOkResponse({ type: OrganizationResponse })
  async get(
    @CurrentActor() actor: Actor,
    @Param('id', ORGANIZATION_ID) id: string,
  ): Promise<OrganizationResponse> {
    return toOrganizationResponse(await this.organizations.get(actor, id));
  }

  /** Sync now: 200 with the result, or 202 while a long sync (or another one) goes on. */
  @Post(':id/sync')
  @ApiOkResponse({ type: OrganizationResponse })
  async sync(
    @CurrentActor() actor: Actor,
    @Param('id', ORGANIZATION_ID) id: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<OrganizationResponse> {
    const { outcome, organization } = await this.organizations.requestSync(actor, id, SYNC_WAIT_MS);
    res.status(outcome === 'finished' ? 200 : 202);
    return toOrganizationResponse(organization);
  }

  @Delete(':id')
  @HttpCode(200)
  @ApiOkResponse({ type: RemovedOrganizationResponse })
  async remove(
    @CurrentActor() actor: Actor,
    @Param('id', ORGANIZATION_ID) id: string,
  ): Promise<RemovedOrganizationResponse> {
    const { row, retired } = await this.organizations.remove(actor, id);
    return {
      id: row.id,
      tenantId: row.tenantId,
      removedAt: (row.removedAt as Date).toISOString(),
      retiredMailboxes: retired,
      notice: REMOVAL_NOTICE,
    };
  }
}
