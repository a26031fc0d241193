import {
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig } from '../../common/config/app-config.js';
import { JobRunner } from '../../common/jobs/job-runner.js';
import { DeliveryJob } from './delivery.job.js';
import { PipelineService } from './pipeline.service.js';

const PIPELINE = 'inbound-pipeline';
const DELIVERY = 'inbound-delivery';

/** The pipeline (INBOUND_PIPELINE_INTERVAL_MS) and delivery upkeep (INBOUND_DELIVERY_INTERVAL_MS). */
@Injectable()
export class InboundCron implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly pipelineRunner = new JobRunner(PIPELINE);
  private readonly deliveryRunner = new JobRunner(DELIVERY);

  constructor(
    private readonly pipeline: PipelineService,
    private readonly delivery: DeliveryJob,
    private readonly scheduler: SchedulerRegistry,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.jobs.enabled) return;
    const pipeline = setInterval(
      () => void this.pipelineRunner.tick(() => this.pipeline.runOnce()),
      this.config.inbound.pipelineIntervalMs,
    );
    this.scheduler.addInterval(PIPELINE, pipeline);
    const delivery = setInterval(
      () => void this.deliveryRunner.tick(() => this.delivery.runOnce()),
      this.config.inbound.deliveryIntervalMs,
    );
    this.scheduler.addInterval(DELIVERY, delivery);
  }

  onApplicationShutdown(): void {
    for (const name of [PIPELINE, DELIVERY])
      if (this.scheduler.doesExist('interval', name)) this.scheduler.deleteInterval(name);
  }
}
