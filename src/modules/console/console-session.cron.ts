import { Injectable } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { AppConfig } from '../../common/config/app-config.js';
import { JobRunner } from '../../common/jobs/job-runner.js';
import { SessionService } from './staff/session.service.js';

/** Hourly: delete expired console sessions (idempotent, any instance). */
@Injectable()
export class ConsoleSessionCleanupCron {
  private readonly runner = new JobRunner('console-session-cleanup');

  constructor(
    private readonly sessions: SessionService,
    private readonly config: AppConfig,
  ) {}

  @Cron(CronExpression.EVERY_HOUR, { name: 'console-session-cleanup' })
  async tick(): Promise<void> {
    if (!this.config.jobs.enabled) return;
    await this.runner.tick(async () => ({ deleted: await this.sessions.pruneExpired() }));
  }
}
