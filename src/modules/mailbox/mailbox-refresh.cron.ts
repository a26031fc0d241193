import { Injectable } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { AppConfig } from '../../common/config/app-config.js';
import { JobRunner } from '../../common/jobs/job-runner.js';
import { MailboxRefreshJob } from './mailbox-refresh.job.js';

/** Every minute: refresh delegated tokens whose scheduled (or retry) refresh is due. */
@Injectable()
export class MailboxRefreshCron {
  private readonly runner = new JobRunner('token-refresh');

  constructor(
    private readonly job: MailboxRefreshJob,
    private readonly config: AppConfig,
  ) {}

  @Cron(CronExpression.EVERY_MINUTE, { name: 'token-refresh' })
  async tick(): Promise<void> {
    if (!this.config.jobs.enabled) return;
    await this.runner.tick(() => this.job.sweep());
  }
}
