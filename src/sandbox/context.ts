import type { GraphOptions } from './graph/settings.js';
import type { SigningKeys } from './identity/keys.js';
import type { EmulatorStore } from './store.js';

export interface EmulatorSettings {
  /** Fixed access-token lifetime; unset = random 60–90 minutes like Entra ID. */
  accessTokenLifetimeSec?: number;
  /** Graph limits and notification timings (throttling, handshake/delivery timeouts, retries). */
  graph?: GraphOptions;
}

/** What every router of the emulator shares. */
export interface EmulatorContext {
  store: EmulatorStore;
  keys: SigningKeys;
  settings: EmulatorSettings;
  /** `https://127.0.0.1:<port>`: known once the server listens, before any request. */
  baseUrl: string;
}
