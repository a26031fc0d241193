import {
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig } from '../../common/config/app-config.js';
import { JobRunner } from '../../common/jobs/job-runner.js';
import { DispatchService } from './dispatch.service.js';

const JOB = 'outbound-dispatch';

/** Every OUTBOUND_DISPATCH_INTERVAL_MS (1 s): send due messages. */
@Injectable()
export class OutboundCron implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly runner = new JobRunner(JOB);

  constructor(
    private readonly dispatch: DispatchService,
    private readonly scheduler: SchedulerRegistry,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.jobs.enabled) return;
    const timer = setInterval(
      () => void this.runner.tick(() => this.dispatch.dispatchOnce()),
      this.config.outbound.dispatchIntervalMs,
    );
    this.scheduler.addInterval(JOB, timer);
  }

  onApplicationShutdown(): void {
    if (this.scheduler.doesExist('interval', JOB)) this.scheduler.deleteInterval(JOB);
  }
}
