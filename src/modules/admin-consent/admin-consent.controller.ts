import { Body, Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiExcludeEndpoint, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Actor } from '../../common/auth/actor.js';
import { CurrentActor } from '../../common/auth/current-actor.decorator.js';
import { Public } from '../../common/http/public.decorator.js';
import { renderReviewPage } from './admin-consent.page.js';
import { AdminConsentService, CALLBACK_PATH, START_PATH } from './admin-consent.service.js';
import { AdminConsentLinkResponse, AdminConsentRequest } from './dto/admin-consent.dto.js';

/** Connect a whole Microsoft 365 organization: the link, its page, Microsoft's callback. */
@ApiTags('organizations')
@Controller()
export class AdminConsentController {
  constructor(private readonly consent: AdminConsentService) {}

  @Post('v1/microsoft/admin-consent')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOkResponse({ type: AdminConsentLinkResponse })
  async start(
    @CurrentActor() actor: Actor,
    @Body() body: AdminConsentRequest,
  ): Promise<AdminConsentLinkResponse> {
    const link = await this.consent.start(actor, body);
    return { authorizationUrl: link.authorizationUrl, expiresAt: link.expiresAt.toISOString() };
  }

  /** The link's page for the IT admin: who asks, which permissions, Continue to Microsoft. */
  @Get(START_PATH.slice(1))
  @Public()
  @ApiExcludeEndpoint()
  async review(@Query('link') link: unknown, @Res() res: Response): Promise<void> {
    const page = renderReviewPage(await this.consent.review(link));
    res
      .status(page.status)
      .set({ 'cache-control': 'no-store', 'content-type': 'text/html; charset=utf-8' })
      .send(page.html);
  }

  @Get(CALLBACK_PATH.slice(1))
  @Public()
  @ApiExcludeEndpoint()
  async callback(@Req() req: Request, @Res() res: Response): Promise<void> {
    res.redirect(302, await this.consent.complete(req.query as Record<string, unknown>));
  }
}
