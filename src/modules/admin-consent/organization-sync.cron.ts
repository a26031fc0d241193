import { Injectable } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { AppConfig } from '../../common/config/app-config.js';
import { JobRunner } from '../../common/jobs/job-runner.js';
import { AdminConsentService } from './admin-consent.service.js';
import { OrganizationSyncJob } from './organization-sync.job.js';

/**
 * Every minute: sync organizations that are due (each every ORG_SYNC_HOURS, sooner after a
 * failure); hourly: forget admin consent links that expired a day ago.
 */
@Injectable()
export class OrganizationSyncCron {
  private readonly sync = new JobRunner('organization-sync');
  private readonly cleanup = new JobRunner('admin-consent-link-cleanup');

  constructor(
    private readonly job: OrganizationSyncJob,
    private readonly consent: AdminConsentService,
    private readonly config: AppConfig,
  ) {}

  @Cron(CronExpression.EVERY_MINUTE, { name: 'organization-sync' })
  async tick(): Promise<void> {
    if (!this.config.jobs.enabled) return;
    await this.sync.tick(() => this.job.sweep());
  }

  @Cron(CronExpression.EVERY_HOUR, { name: 'admin-consent-link-cleanup' })
  async forgetExpiredLinks(): Promise<void> {
    if (!this.config.jobs.enabled) return;
    await this.cleanup.tick(async () => ({ deleted: await this.consent.forgetExpired() }));
  }
}
