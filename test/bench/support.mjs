// Shared pieces of the service benchmarks: a scratch database, the service wired to an emulator
// running in a worker thread, memory sampling, and a direct load phase against the emulator
// (the "ideal" each benchmark compares the service with, measured in the same run).
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';

export async function scratchDatabase() {
  const serverUrl =
    process.env.BENCH_DATABASE_URL ||
    process.env.TEST_DATABASE_URL ||
    'postgresql://postgres@127.0.0.1:5432/postgres';
  const name = `m365_bench_${randomUUID().slice(0, 8)}`;
  await sql(serverUrl, `CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => sql(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

export async function sql(url, text, values) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(text, values);
  } finally {
    await client.end();
  }
}

/** The built service (dist/) on `databaseUrl`, pointed at the emulator; jobs off. */
export async function startService(databaseUrl, emulator, env = {}) {
  const { applyMigrations } = await import('../../dist/common/database/migrate.js');
  const { loadConfig } = await import('../../dist/common/config/load-config.js');
  const { createApp } = await import('../../dist/app.factory.js');
  const { SANDBOX_APP } = await import('../../dist/sandbox/default-seed.js');
  await applyMigrations(databaseUrl);
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'error',
    JOBS_ENABLED: 'false',
    DATABASE_URL: databaseUrl,
    DATA_DIR: mkdtempSync(join(tmpdir(), 'm365-bench-')),
    DATABASE_POOL_SIZE: '20',
    ...env,
  }).withMicrosoft({
    clientId: SANDBOX_APP.clientId,
    clientSecret: SANDBOX_APP.clientSecret,
    authorityHost: emulator.baseUrl,
    graphBaseUrl: emulator.baseUrl,
    caPem: emulator.caCertPem,
  });
  const app = await createApp(config);
  await app.init();
  return { app, config };
}

export function memorySampler() {
  const peak = { rss: 0, heap: 0 };
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    peak.rss = Math.max(peak.rss, m.rss);
    peak.heap = Math.max(peak.heap, m.heapUsed);
  }, 50);
  return {
    stop() {
      clearInterval(timer);
      const mb = (n) => `${(n / 1024 / 1024).toFixed(0)} MiB`;
      return `rss ${mb(peak.rss)} (service + emulator thread), heap ${mb(peak.heap)}`;
    },
  };
}

/** Runs `count` calls of `once(i)` with `concurrency` in flight; returns calls per second. */
export async function directRate(count, concurrency, once) {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await once(next++);
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

/** Asks the emulator worker something and waits for its answer. */
export function ask(worker, message) {
  return new Promise((resolve) => {
    worker.once('message', resolve);
    worker.postMessage(message);
  });
}

/**
 * Starts this bench file again as the emulator's worker thread (with `workerData`), and a
 * scratch database; runs `body(db, emulator, worker)`; always stops both.
 */
export async function withEmulatorWorker(moduleUrl, workerData, body) {
  const { Worker } = await import('node:worker_threads');
  const db = await scratchDatabase();
  const worker = new Worker(new URL(moduleUrl), { workerData });
  try {
    const emulator = await new Promise((resolve) => worker.once('message', resolve));
    await body(db, emulator, worker);
  } finally {
    worker.postMessage('stop');
    await db.drop();
  }
}
