/** Time source of the emulator. Tests move it to expire codes and tokens without waiting. */
export interface Clock {
  now(): Date;
  nowMs(): number;
}

/** Wall-clock time plus an adjustable offset. */
export class EmulatorClock implements Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(this.nowMs());
  }

  nowMs(): number {
    return Date.now() + this.offsetMs;
  }

  /** Moves time forward (or back, with a negative value). */
  advance(ms: number): void {
    this.offsetMs += ms;
  }

  /** Jumps to an absolute instant; time keeps running from there. */
  set(at: Date): void {
    this.offsetMs = at.getTime() - Date.now();
  }

  reset(): void {
    this.offsetMs = 0;
  }
}
