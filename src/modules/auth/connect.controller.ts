import { Body, Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExcludeEndpoint,
  ApiOkResponse,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { CookieOptions, Request, Response } from 'express';
import type { Actor } from '../../common/auth/actor.js';
import { CurrentActor } from '../../common/auth/current-actor.decorator.js';
import { SandboxTokenRequest } from '../../common/auth/dto/sandbox-token.dto.js';
import { DEMO_USER_ID, DEMO_WORKSPACE_ID } from '../../common/auth/sandbox-token.js';
import { AppConfig } from '../../common/config/app-config.js';
import { NotFoundError } from '../../common/errors/domain-error.js';
import { Public } from '../../common/http/public.decorator.js';
import { CALLBACK_PATH } from './azure-ad.strategy.js';
import { ConnectService, type ConnectResult } from './connect.service.js';
import { attemptIdFromState, isAttemptId, withQuery } from './connect.rules.js';
import { AuthorizationUrlResponse, ConnectRequest } from './dto/connect.dto.js';
import { type OidcSession, runStrategy } from './passport-runner.js';

/** The cookie binding a connect attempt to the browser that started it. */
export const BINDING_COOKIE = 'scendcore_connect';
const COOKIE_PATH = '/v1/microsoft';

@ApiTags('connect')
@Controller()
export class ConnectController {
  constructor(
    private readonly connect: ConnectService,
    private readonly config: AppConfig,
  ) {}

  /**
   * Call with credentials (`fetch(..., {credentials: 'include'})`): the answer sets an HttpOnly
   * cookie that the authorize hop and the callback require, then the same browser navigates to
   * `authorizationUrl`.
   */
  @Post('v1/microsoft/connect')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOkResponse({ type: AuthorizationUrlResponse })
  async start(
    @CurrentActor() actor: Actor,
    @Body() body: ConnectRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AuthorizationUrlResponse> {
    const { authorizationUrl, binding } = await this.connect.start(actor, body);
    res.cookie(BINDING_COOKIE, binding.cookieValue, {
      ...this.cookieOptions(),
      maxAge: binding.maxAgeMs,
    });
    return { authorizationUrl };
  }

  /**
   * Sandbox mode only: a link a person opens in a browser to try Connect without a frontend —
   * it starts an attempt for the demo user (or `?userId=&workspaceId=`), binds it to this
   * browser and goes on to the emulator's sign-in.
   */
  @Get('v1/sandbox/connect')
  @Public()
  @ApiExcludeEndpoint()
  async sandboxConnect(@Query() query: SandboxTokenRequest, @Res() res: Response): Promise<void> {
    if (!this.config.sandbox) throw new NotFoundError('route');
    const actor = {
      userId: query.userId ?? DEMO_USER_ID,
      workspaceId: query.workspaceId ?? DEMO_WORKSPACE_ID,
    };
    const { authorizationUrl, binding } = await this.connect.start(actor, {});
    res.cookie(BINDING_COOKIE, binding.cookieValue, {
      ...this.cookieOptions(),
      maxAge: binding.maxAgeMs,
    });
    res.redirect(302, authorizationUrl);
  }

  /** The authorization URL handed to the browser: hands over to Microsoft's sign-in. */
  @Get('v1/microsoft/authorize')
  @Public()
  @ApiQuery({ name: 'attempt', required: true, description: 'from authorizationUrl' })
  @ApiResponse({
    status: 302,
    description: "to Microsoft's sign-in, or to returnTo?error=invalid_state",
  })
  async authorize(
    @Query('attempt') attemptId: unknown,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const id = isAttemptId(attemptId) ? attemptId : undefined;
    const attempt = await this.connect.usableAttempt(id, bindingOf(req));
    if (!attempt) {
      const reason = 'unknown or expired attempt, or another browser';
      return redirect(res, this.connect.failure(null, reason, 'invalid_state'));
    }
    const session: OidcSession = {};
    const outcome = await runStrategy(req, session, {
      customState: attempt.id,
      prompt: 'select_account',
      ...(attempt.loginHint ? { login_hint: attempt.loginHint } : {}),
    });
    if (outcome.kind !== 'redirect')
      return redirect(
        res,
        this.connect.failure(attempt, outcome.kind === 'failure' ? outcome.reason : 'no redirect'),
      );
    await this.connect.saveOidcSession(attempt.id, session);
    res.redirect(302, outcome.url);
  }

  @Get(CALLBACK_PATH.slice(1))
  @Public()
  @ApiResponse({
    status: 302,
    description:
      'to returnTo with ?connected=<mailboxId>, or ?error= invalid_state, token_exchange_failed, profile_fetch_failed, access_denied, admin_consent_required',
  })
  async callback(@Req() req: Request, @Res() res: Response): Promise<void> {
    const attempt = await this.connect.usableAttempt(
      attemptIdFromState(req.query.state),
      bindingOf(req),
    );
    res.clearCookie(BINDING_COOKIE, this.cookieOptions());
    if (!attempt) {
      const reason = 'unknown, used or expired state, or another browser';
      return redirect(res, this.connect.failure(null, reason, 'invalid_state'));
    }
    const session = { ...((attempt.oidcSession as OidcSession | null) ?? {}) };
    const outcome = await runStrategy(req, session, {});
    if (outcome.kind !== 'success')
      return redirect(
        res,
        this.connect.failure(
          attempt,
          outcome.kind === 'failure' ? outcome.reason : 'redirected again',
        ),
      );
    redirect(res, await this.connect.complete(attempt, outcome.signIn));
  }

  private cookieOptions(): CookieOptions {
    return {
      httpOnly: true,
      sameSite: 'lax',
      secure: this.config.publicUrl.startsWith('https:'),
      path: COOKIE_PATH,
    };
  }
}

function bindingOf(req: Request): string | undefined {
  const value = (req.cookies as Record<string, unknown> | undefined)?.[BINDING_COOKIE];
  return typeof value === 'string' && value.length <= 200 ? value : undefined;
}

function redirect(res: Response, result: ConnectResult): void {
  if (result.ok)
    return res.redirect(302, withQuery(result.returnTo, 'connected', result.mailboxId));
  let target = withQuery(result.returnTo, 'error', result.error);
  // The tenant lets only admins consent: the page offers the admin consent hand-off
  // (POST /v1/microsoft/admin-consent) instead of a dead end.
  if (result.error === 'admin_consent_required')
    target = withQuery(target, 'next', 'admin_consent');
  res.redirect(302, target);
}
