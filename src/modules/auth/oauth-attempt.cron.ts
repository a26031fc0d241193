import { Injectable } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { AppConfig } from '../../common/config/app-config.js';
import { JobRunner } from '../../common/jobs/job-runner.js';
import { ConnectService } from './connect.service.js';

/** Hourly: forget sign-in attempts that expired more than a day ago (idempotent, any instance). */
@Injectable()
export class OAuthAttemptCleanupCron {
  private readonly runner = new JobRunner('oauth-attempt-cleanup');

  constructor(
    private readonly connect: ConnectService,
    private readonly config: AppConfig,
  ) {}

  @Cron(CronExpression.EVERY_HOUR, { name: 'oauth-attempt-cleanup' })
  async tick(): Promise<void> {
    if (!this.config.jobs.enabled) return;
    await this.runner.tick(async () => ({ deleted: await this.connect.forgetExpiredAttempts() }));
  }
}
