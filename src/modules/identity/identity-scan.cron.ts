import { Injectable } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { AppConfig } from '../../common/config/app-config.js';
import { JobRunner } from '../../common/jobs/job-runner.js';
import { IdentityScanJob } from './identity-scan.job.js';

/** Hourly sweep: re-scan mailboxes whose identities were last discovered a day ago. */
@Injectable()
export class IdentityScanCron {
  private readonly runner = new JobRunner('identity-rescan');

  constructor(
    private readonly job: IdentityScanJob,
    private readonly config: AppConfig,
  ) {}

  @Cron(CronExpression.EVERY_HOUR, { name: 'identity-rescan' })
  async tick(): Promise<void> {
    if (!this.config.jobs.enabled) return;
    await this.runner.tick(() => this.job.sweep());
  }
}
