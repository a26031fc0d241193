import {
  Body,
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
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../../common/auth/actor.js';
import { CurrentActor } from '../../common/auth/current-actor.decorator.js';
import { PageQuery } from '../../common/http/pagination.js';
import {
  AddSuppressionRequest,
  SuppressionListResponse,
  SuppressionResponse,
  toSuppressionResponse,
} from './dto/suppression.dto.js';
import { SuppressionNotFoundError } from './suppression.errors.js';
import { SuppressionService } from './suppression.service.js';

export const SUPPRESSION_ID = new ParseUUIDPipe({
  exceptionFactory: () => new SuppressionNotFoundError(),
});

/** The workspace's suppression list: addresses never written to again. */
@ApiTags('suppressions')
@ApiBearerAuth()
@Controller('v1/suppressions')
export class SuppressionController {
  constructor(private readonly suppressions: SuppressionService) {}

  @Get()
  @ApiOkResponse({ type: SuppressionListResponse })
  async list(
    @CurrentActor() actor: Actor,
    @Query() page: PageQuery,
  ): Promise<SuppressionListResponse> {
    const result = await this.suppressions.list(actor, page.limit, page.cursor);
    return { items: result.items.map(toSuppressionResponse), nextCursor: result.nextCursor };
  }

  /** 201 when added; 200 with the existing entry when the address was already listed. */
  @Post()
  @ApiCreatedResponse({ type: SuppressionResponse })
  @ApiOkResponse({ type: SuppressionResponse })
  async add(
    @CurrentActor() actor: Actor,
    @Body() body: AddSuppressionRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SuppressionResponse> {
    const result = await this.suppressions.addManual(actor, body.email, body.note ?? null);
    res.status(result.created ? 201 : 200);
    return toSuppressionResponse(result.row);
  }

  /** Takes the address off the list: it may be written to again. */
  @Delete(':id')
  @HttpCode(204)
  async remove(
    @CurrentActor() actor: Actor,
    @Param('id', SUPPRESSION_ID) id: string,
  ): Promise<void> {
    await this.suppressions.remove(actor, id);
  }
}
