import { Logger } from '@nestjs/common';

export interface JobResult {
  /** Counts to log, e.g. { claimed: 12, done: 11, failed: 1 }. */
  [count: string]: number;
}

/**
 * Runs one tick of a background job: never overlapping itself in this process, timed,
 * logged with its counts, and never throwing into the scheduler.
 */
export class JobRunner {
  private running = false;
  private readonly logger: Logger;

  constructor(readonly name: string) {
    this.logger = new Logger(`job:${name}`);
  }

  async tick(work: () => Promise<JobResult>): Promise<JobResult | undefined> {
    if (this.running) return undefined;
    this.running = true;
    const started = Date.now();
    try {
      const result = await work();
      if (Object.values(result).some((n) => n > 0)) {
        this.logger.log({ job: this.name, ...result, ms: Date.now() - started }, 'job finished');
      }
      return result;
    } catch (error) {
      this.logger.error({ job: this.name, err: error }, 'job failed');
      return undefined;
    } finally {
      this.running = false;
    }
  }
}
