import { EmulatorClock } from './clock.js';
import { DirectoryStore } from './store/directory.js';
import { FaultStore } from './store/faults.js';
import { GrantStore } from './store/grants.js';
import { LogStore } from './store/logs.js';
import { MailStore } from './store/mail.js';
import { PolicyStore } from './store/policies.js';
import { SubscriptionStore } from './store/subscriptions.js';

export type * from './model.js';
export type * from './mail-model.js';
export type { NewMessage } from './store/mail.js';
export type { FaultDrop, FaultRule, FaultRuleSpec, FaultResponse } from './store/faults.js';
export type * from './store/logs.js';
export type { ApplicationAccessPolicy } from './store/policies.js';
export { smtpAddresses } from './store/addresses.js';
export { EmulatorClock } from './clock.js';

/**
 * The emulator's whole in-memory world. Each part has intent-named methods:
 * - `directory`: tenants, users (aliases, mail), app registrations, Send As, admin consent
 * - `grants`: authorization codes, refresh tokens, user consents, pending sign-in pages
 * - `mail`: per-user folders and messages; `subscriptions`: change-notification subscriptions
 * - `logs`: request and token logs; `faults`: injected failures and latency
 * - `policies`: access-token lifetimes, Exchange application access policies
 * - `clock`: the time every part uses; tests move it
 */
export class EmulatorStore {
  readonly directory: DirectoryStore;
  readonly grants: GrantStore;
  readonly mail: MailStore;
  readonly subscriptions = new SubscriptionStore();
  readonly logs = new LogStore();
  readonly policies = new PolicyStore();
  readonly faults: FaultStore;

  constructor(readonly clock: EmulatorClock = new EmulatorClock()) {
    this.directory = new DirectoryStore(clock);
    this.grants = new GrantStore(clock);
    this.mail = new MailStore(clock);
    this.faults = new FaultStore(clock);
  }

  /** Empties every part and resets the clock (keys and TLS material live elsewhere). */
  clear(): void {
    this.directory.clear();
    this.grants.clear();
    this.mail.clear();
    this.subscriptions.clear();
    this.logs.clear();
    this.faults.clear();
    this.policies.clear();
    this.clock.reset();
  }
}
