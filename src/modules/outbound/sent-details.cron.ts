import {
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig } from '../../common/config/app-config.js';
import { JobRunner } from '../../common/jobs/job-runner.js';
import { SentDetailsJob } from './sent-details.job.js';

const JOB = 'outbound-sent-details';

/** Every OUTBOUND_SENT_DETAILS_INTERVAL_MS (15 s): read sent messages' ids from Sent Items. */
@Injectable()
export class SentDetailsCron implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly runner = new JobRunner(JOB);

  constructor(
    private readonly job: SentDetailsJob,
    private readonly scheduler: SchedulerRegistry,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.jobs.enabled) return;
    const timer = setInterval(
      () => void this.runner.tick(() => this.job.sweep()),
      this.config.outbound.sentDetails.intervalMs,
    );
    this.scheduler.addInterval(JOB, timer);
  }

  onApplicationShutdown(): void {
    if (this.scheduler.doesExist('interval', JOB)) this.scheduler.deleteInterval(JOB);
  }
}
