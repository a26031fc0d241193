import type { Clock } from '../clock.js';
import type { ThrottleSettings } from './settings.js';

export type Admission =
  { ok: true; release: () => void } | { ok: false; message: string; retryAfterSeconds: number };

/**
 * Exchange Online's per-app, per-mailbox limits: concurrent requests and a request budget over
 * a sliding window (on the emulator clock, so tests can move past it).
 */
export class MailboxThrottle {
  private readonly inFlight = new Map<string, number>();
  private readonly windows = new Map<string, number[]>();

  constructor(
    private readonly clock: Clock,
    private readonly settings: () => ThrottleSettings,
  ) {}

  admit(appId: string, mailboxId: string): Admission {
    const key = `${appId}|${mailboxId}`;
    const limits = this.settings();
    const now = this.clock.nowMs();
    const stamps = (this.windows.get(key) ?? []).filter((t) => t > now - limits.windowMs);
    this.windows.set(key, stamps);
    if (stamps.length >= limits.mailboxRequestsPerWindow) {
      const oldest = stamps[stamps.length - limits.mailboxRequestsPerWindow];
      const retryAfterSeconds = Math.max(1, Math.ceil((oldest + limits.windowMs - now) / 1000));
      return {
        ok: false,
        message: 'Application is over its MailboxRequests limit.',
        retryAfterSeconds,
      };
    }
    const running = this.inFlight.get(key) ?? 0;
    if (running >= limits.mailboxConcurrency) {
      const retryAfterSeconds = limits.concurrencyRetryAfterSeconds;
      return {
        ok: false,
        message: 'Application is over its MailboxConcurrency limit.',
        retryAfterSeconds,
      };
    }
    this.inFlight.set(key, running + 1);
    stamps.push(now);
    return { ok: true, release: once(() => this.release(key)) };
  }

  reset(): void {
    this.inFlight.clear();
    this.windows.clear();
  }

  /** Forgets the requests counted so far (requests in flight keep their slots). */
  clearBudgets(): void {
    this.windows.clear();
  }

  private release(key: string): void {
    const running = (this.inFlight.get(key) ?? 1) - 1;
    if (running <= 0) this.inFlight.delete(key);
    else this.inFlight.set(key, running);
  }
}

function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    fn();
  };
}
