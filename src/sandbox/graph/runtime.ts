import type { EmulatorContext } from '../context.js';
import { AccessTokenVerifier } from '../identity/access-tokens.js';
import { LoopbackClient } from './loopback.js';
import { Notifier } from './notifier.js';
import {
  defaultGraphSettings,
  mergeGraphSettings,
  type GraphOptions,
  type GraphSettings,
} from './settings.js';
import { MailboxThrottle } from './throttle.js';

/**
 * The Graph module's live state next to the store: settings, token verification, per-mailbox
 * throttling and notification delivery. One per emulator; a store reset restores the settings
 * the emulator started with and cancels pending notification retries.
 */
export class GraphRuntime {
  settings: GraphSettings;
  readonly verifier: AccessTokenVerifier;
  readonly throttle: MailboxThrottle;
  readonly notifier: Notifier;
  /** Carries `$batch` items back into the emulator's own server. */
  readonly loopback = new LoopbackClient();

  constructor(
    readonly ctx: EmulatorContext,
    private readonly initial: GraphSettings,
  ) {
    this.settings = mergeGraphSettings(initial);
    this.verifier = new AccessTokenVerifier(ctx);
    this.throttle = new MailboxThrottle(ctx.store.clock, () => this.settings.throttle);
    this.notifier = new Notifier(ctx, () => this.settings.notifications);
    ctx.store.mail.onChange((change) => {
      if (change.type === 'cleared') this.reset();
      else this.notifier.onMailChange(change);
    });
  }

  configure(options: GraphOptions): GraphSettings {
    this.settings = mergeGraphSettings(this.settings, options);
    return this.settings;
  }

  /** Back to the start settings; throttling windows and pending retries are forgotten. */
  reset(): void {
    this.settings = mergeGraphSettings(this.initial);
    this.throttle.reset();
    this.notifier.cancelPending();
  }

  /** Stops retry timers and closes the HTTP clients (emulator shutdown). */
  async close(): Promise<void> {
    await Promise.all([this.notifier.close(), this.loopback.close()]);
  }
}

const runtimes = new WeakMap<EmulatorContext, GraphRuntime>();

/** The runtime of an emulator, created on first use from `settings.graph` (start options). */
export function graphRuntime(ctx: EmulatorContext): GraphRuntime {
  let runtime = runtimes.get(ctx);
  if (!runtime) {
    const initial = mergeGraphSettings(defaultGraphSettings(), ctx.settings.graph);
    runtime = new GraphRuntime(ctx, initial);
    runtimes.set(ctx, runtime);
  }
  return runtime;
}

/** Closes the runtime of an emulator if one was created. */
export async function closeGraphRuntime(ctx: EmulatorContext): Promise<void> {
  await runtimes.get(ctx)?.close();
  runtimes.delete(ctx);
}
