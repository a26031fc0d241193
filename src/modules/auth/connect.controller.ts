import { Body, Controller, Get, HttpCode, Next, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiExcludeEndpoint, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { Public } from '../../common/http/public.decorator.js';
import type { Actor } from '../../common/auth/actor.js';
import { CALLBACK_PATH } from './azure-ad.strategy.js';
import { ConnectService, type ConnectResult } from './connect.service.js';
import { attemptIdFromState, isAttemptId, withQuery } from './connect.rules.js';
import { CurrentActor } from '../../common/auth/current-actor.decorator.js';
import { AuthorizationUrlResponse, ConnectRequest } from './dto/connect.dto.js';
import { finishSignIn, redirectToMicrosoft } from './passport-runner.js';

@ApiTags('connect')
@Controller()
export class ConnectController {
  constructor(private readonly connect: ConnectService) {}

  @Post('v1/microsoft/connect')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOkResponse({ type: AuthorizationUrlResponse })
  start(
    @CurrentActor() actor: Actor,
    @Body() body: ConnectRequest,
  ): Promise<AuthorizationUrlResponse> {
    return this.connect.start(actor, body.returnTo);
  }

  /** The authorization URL handed to the browser: hands over to Microsoft's sign-in. */
  @Get('v1/microsoft/authorize')
  @Public()
  @ApiExcludeEndpoint()
  async authorize(
    @Query('attempt') attemptId: unknown,
    @Req() req: Request,
    @Res() res: Response,
    @Next() next: NextFunction,
  ): Promise<void> {
    const attempt = await this.connect.usableAttempt(
      isAttemptId(attemptId) ? attemptId : undefined,
    );
    if (!attempt)
      return redirect(
        res,
        this.connect.failure(null, 'unknown or expired attempt', 'invalid_state'),
      );
    redirectToMicrosoft(req, res, next, attempt.id);
  }

  @Get(CALLBACK_PATH.slice(1))
  @Public()
  @ApiExcludeEndpoint()
  async callback(@Req() req: Request, @Res() res: Response): Promise<void> {
    const attempt = await this.connect.usableAttempt(attemptIdFromState(req.query.state));
    if (!attempt)
      return redirect(
        res,
        this.connect.failure(null, 'unknown, used or expired state', 'invalid_state'),
      );
    const outcome = await finishSignIn(req, res);
    if (!outcome.ok) return redirect(res, this.connect.failure(attempt, outcome.reason));
    redirect(res, await this.connect.complete(attempt, outcome.signIn));
  }
}

function redirect(res: Response, result: ConnectResult): void {
  const target = result.ok
    ? withQuery(result.returnTo, 'connected', result.mailboxId)
    : withQuery(result.returnTo, 'error', result.error);
  res.redirect(302, target);
}
