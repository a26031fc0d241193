import { type DynamicModule, Module } from '@nestjs/common';

/**
 * The time the application decides by (pace, windows, due work). Inject `Clock`; production
 * gets real time, tests hand the app a `TestClock` they can set and advance (one instance may
 * be shared by several Nest apps, like replicas on one wall clock).
 */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

/** A clock that moves only when told to. */
export class TestClock extends Clock {
  private current: number;

  constructor(start: Date | string = new Date()) {
    super();
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  set(at: Date | string): void {
    this.current = new Date(at).getTime();
  }

  advance(ms: number): Date {
    this.current += ms;
    return this.now();
  }
}

/** Provides `Clock` everywhere; `forRoot()` with no argument is real time. */
@Module({})
export class ClockModule {
  static forRoot(clock: Clock = new SystemClock()): DynamicModule {
    return {
      module: ClockModule,
      global: true,
      providers: [{ provide: Clock, useValue: clock }],
      exports: [Clock],
    };
  }
}
