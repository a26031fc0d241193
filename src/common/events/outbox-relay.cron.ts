import {
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig } from '../config/app-config.js';
import { JobRunner } from '../jobs/job-runner.js';
import { OutboxRelay } from './outbox-relay.js';

const JOB = 'outbox-relay';

/** Runs the relay every OUTBOX_RELAY_INTERVAL_MS (2 s by default) when jobs are enabled. */
@Injectable()
export class OutboxRelayCron implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly runner = new JobRunner(JOB);

  constructor(
    private readonly relay: OutboxRelay,
    private readonly scheduler: SchedulerRegistry,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.jobs.enabled) return;
    const timer = setInterval(
      () => void this.runner.tick(() => this.relay.relayOnce()),
      this.config.jobs.outboxIntervalMs,
    );
    this.scheduler.addInterval(JOB, timer);
  }

  onApplicationShutdown(): void {
    if (this.scheduler.doesExist('interval', JOB)) this.scheduler.deleteInterval(JOB);
  }
}
