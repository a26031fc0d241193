const BASE_MS = 1000;
const CAP_MS = 15 * 60 * 1000;

/**
 * Delay before retrying an event that failed `attempts` times: exponential from 1 s, capped at
 * 15 min, with up to 20 % random jitter so failing events from many instances spread out.
 */
export function retryDelayMs(attempts: number, random: () => number = Math.random): number {
  const exponential = Math.min(CAP_MS, BASE_MS * 2 ** Math.max(0, attempts - 1));
  return Math.round(exponential * (1 + 0.2 * random()));
}

/** After this many failed attempts the event is parked for an operator. */
export function shouldPark(attempts: number, maxAttempts: number): boolean {
  return attempts >= maxAttempts;
}

/** Error text stored on the event: bounded, one line per cause. */
export function describeFailure(error: unknown, maxLength = 2000): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
}
