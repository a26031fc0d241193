import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createEmulatorApp } from './app.js';
import type { EmulatorContext } from './context.js';
import { EmulatorControl } from './control/index.js';
import { closeGraphRuntime, type GraphOptions } from './graph/index.js';
import { createSigningKeys } from './identity/keys.js';
import { defaultSeed } from './default-seed.js';
import { applySeed } from './seed.js';
import type { SeedSpec } from './seed-spec.js';
import { EmulatorStore } from './store.js';
import { createTlsMaterial } from './tls.js';

export interface M365EmulatorOptions {
  /** 0 or unset: a free port. */
  port?: number;
  /** Default: 'default' (the Contoso world of default-seed.ts). */
  seed?: SeedSpec | 'default' | 'empty';
  /** Latency added to every identity and Graph request. */
  latencyMs?: number;
  /** Fixed access-token lifetime; unset = random 60–90 minutes. */
  accessTokenLifetimeSec?: number;
  /** Graph limits and notification timings (throttling, handshake/delivery timeouts, retries). */
  graph?: GraphOptions;
}

export interface M365Emulator {
  /** `https://127.0.0.1:<port>` */
  baseUrl: string;
  /** Authority host for the identity platform (same server): `https://127.0.0.1:<port>`. */
  authorityHost: string;
  /** Graph base URL without version: `https://127.0.0.1:<port>` (routes are `/v1.0/...`). */
  graphBaseUrl: string;
  /** Trust this CA in clients (https agent `ca`, undici `connect.ca`). */
  caCertPem: string;
  control: EmulatorControl;
  store: EmulatorStore;
  close(): Promise<void>;
}

/** Starts the HTTPS emulator of the Microsoft identity platform and Graph on 127.0.0.1. */
export async function startM365Emulator(options: M365EmulatorOptions = {}): Promise<M365Emulator> {
  const [tls, keys] = await Promise.all([createTlsMaterial(), createSigningKeys()]);
  const store = new EmulatorStore();
  const seed = resolveSeed(options.seed);
  applySeed(store, seed);
  store.faults.globalLatencyMs = options.latencyMs ?? 0;
  const ctx: EmulatorContext = {
    store,
    keys,
    settings: { accessTokenLifetimeSec: options.accessTokenLifetimeSec, graph: options.graph },
    baseUrl: '',
  };
  const control = new EmulatorControl(ctx, seed);
  const server = createServer(
    { cert: tls.certPem, key: tls.keyPem },
    createEmulatorApp(ctx, control),
  );
  server.keepAliveTimeout = 65_000;
  await listen(server, options.port ?? 0);
  ctx.baseUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl: ctx.baseUrl,
    authorityHost: ctx.baseUrl,
    graphBaseUrl: ctx.baseUrl,
    caCertPem: tls.caCertPem,
    control,
    store,
    close: () => closeGraphRuntime(ctx).then(() => close(server)),
  };
}

function resolveSeed(seed: M365EmulatorOptions['seed']): SeedSpec {
  if (seed === undefined || seed === 'default') return defaultSeed();
  if (seed === 'empty') return {};
  return seed;
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((err) => (err ? reject(err) : resolve()));
    server.closeAllConnections();
  });
}
