import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AppConfig } from '../../common/config/app-config.js';
import type { SandboxInfo } from '../../common/config/email-setup-page-settings.js';
import { NotFoundError } from '../../common/errors/domain-error.js';
import { Public } from '../../common/http/public.decorator.js';
import { PageAssets } from './page-assets.js';

/** Only the page's own files and its REST calls to this origin; nothing inline, no eval. */
const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The reference Email Setup page: static files that use only the public REST API, as the
 * ScendCore frontend would. Served in sandbox mode, or with EMAIL_SETUP_PAGE_ENABLED=true.
 */
@ApiExcludeController()
@Public()
@Controller()
export class EmailSetupPageController {
  private files?: PageAssets;

  constructor(private readonly config: AppConfig) {}

  /** Read on first use, so a service with the page off never touches its files. */
  private get assets(): PageAssets {
    this.files ??= new PageAssets();
    return this.files;
  }

  @Get()
  root(@Res() res: Response): void {
    this.ensureEnabled();
    res.redirect(302, this.config.emailSetupPage.path);
  }

  /** Where the callbacks send the browser by default (FRONTEND_URL/settings/email-setup). */
  @Get('settings/email-setup')
  legacy(@Req() req: Request, @Res() res: Response): void {
    this.ensureEnabled();
    const query = req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : '';
    res.redirect(302, `${this.config.emailSetupPage.path}${query}`);
  }

  @Get('email-setup')
  page(@Res() res: Response): void {
    this.ensureEnabled();
    res.setHeader('content-security-policy', PAGE_CSP);
    res.setHeader('cache-control', 'no-cache');
    res.type('html').send(this.assets.page(`${this.config.emailSetupPage.path}/assets`));
  }

  @Get('email-setup/assets/:version/:name')
  asset(
    @Param('version') version: string,
    @Param('name') name: string,
    @Res() res: Response,
  ): void {
    this.ensureEnabled();
    const file = this.assets.asset(name);
    if (!file) throw new NotFoundError('file');
    const current = version === this.assets.version;
    res.setHeader('cache-control', current ? 'public, max-age=31536000, immutable' : 'no-cache');
    res.type(file.type).send(file.body);
  }

  /** Sandbox mode only: what the page's sandbox banner shows. */
  @Get('email-setup/sandbox.json')
  sandbox(@Res() res: Response): void {
    this.ensureEnabled();
    if (!this.config.sandbox) throw new NotFoundError('route');
    const host = this.config.microsoft.authorityHost;
    const info: SandboxInfo = this.config.sandboxInfo ?? {
      emulatorUrl: host,
      controlApiUrl: `${host}/_emulator`,
      accounts: [],
    };
    res.setHeader('cache-control', 'no-store');
    res.json(info);
  }

  private ensureEnabled(): void {
    if (!this.config.emailSetupPage.enabled) throw new NotFoundError('route');
  }
}
