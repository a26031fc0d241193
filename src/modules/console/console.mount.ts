import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Application, RequestHandler } from 'express';
import { AppConfig } from '../../common/config/app-config.js';
import { ConsoleCatalog } from './console.catalog.js';
import { ConsoleDashboardService } from './dashboard.service.js';
import { consoleRouter } from './http/console.router.js';
import { SessionService } from './staff/session.service.js';
import { StaffAuthService } from './staff/staff-auth.service.js';
import { StaffService } from './staff/staff.service.js';

/**
 * Serves the console at /admin when it is on: CONSOLE_ENABLED, or by default outside
 * production; in production without CONSOLE_ENABLED only once a staff user exists. Creates the
 * bootstrap admin first. Mounted on Express before Nest's not-found handler.
 */
@Injectable()
export class ConsoleMount implements OnModuleInit {
  private readonly logger = new Logger('Console');

  constructor(
    private readonly http: HttpAdapterHost,
    private readonly config: AppConfig,
    private readonly staff: StaffService,
    private readonly auth: StaffAuthService,
    private readonly sessions: SessionService,
    private readonly catalog: ConsoleCatalog,
    private readonly dashboard: ConsoleDashboardService,
  ) {}

  async onModuleInit(): Promise<void> {
    const app = this.http.httpAdapter?.getInstance<Application>();
    const { enabled } = this.config.console;
    if (!app || enabled === 'off') return;
    await this.staff.bootstrap();
    if (enabled === 'when_staff_exist' && !(await this.staff.anyExists())) {
      this.logger.log(
        'operations console off: no staff user yet (set CONSOLE_BOOTSTRAP_EMAIL/PASSWORD, or add one with npm run console:user, then restart)',
      );
      return;
    }
    app.use(
      '/admin',
      consoleRouter({
        config: this.config,
        auth: this.auth,
        sessions: this.sessions,
        loadAdmin: () => this.loadAdmin(),
      }),
    );
  }

  private async loadAdmin(): Promise<RequestHandler> {
    const started = Date.now();
    const { buildAdminRouter } = await import('./admin/admin-app.js');
    const router = buildAdminRouter(this.catalog.definitions(), () => this.dashboard.dashboard());
    this.logger.log({ ms: Date.now() - started }, 'operations console loaded');
    return router;
  }
}
