// Shared pieces of the service benchmarks.
//
// Each bench file runs in up to four processes, chosen by BENCH_ROLE: `main` (the orchestrator
// and load generator: it measures the ideal in the same run and prints the figures), `emulator`
// (the Microsoft 365 emulator alone in its own process), `service` (the built service under
// test, started with count-statements.mjs preloaded, so its CPU time, peak RSS and database
// statements are its own) and, for HTTP benches, `baseline` (a bare Node server). The children
// answer commands from `main` over IPC (spawnRole/serveRole); `mark` and `metrics` are built in.
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { getHeapStatistics } from 'node:v8';
import pg from 'pg';

export const ROLE = process.env.BENCH_ROLE ?? 'main';
/** `npm run bench -- --quick`: smaller item counts (run.mjs sets it). */
export const QUICK = process.env.BENCH_QUICK === '1';
const MIB = 1024 * 1024;

/** The delegated scopes the benches' mailboxes are granted (tokens and mailbox_credential). */
export const SCOPES = ['offline_access', 'User.Read', 'Mail.ReadWrite', 'Mail.Send'];
/** For benches that never reach Microsoft: an endpoint nothing listens on. */
export const NO_EMULATOR = { baseUrl: 'https://127.0.0.1:9', caCertPem: '' };

/**
 * Runs this process's part: `roles[ROLE]` in a child (`emulator`, `service`, `baseline`), else
 * `main` (the orchestrator).
 */
export async function runRole(roles, main) {
  const role = roles[ROLE];
  if (ROLE !== 'main' && !role) throw new Error(`no ${ROLE} role in this bench`);
  await (role ?? main)();
}

/** Numeric arguments of a bench: argv[i] if given, else the quick or full default. */
export function arg(index, full, quick) {
  const given = process.argv[2 + index];
  return given !== undefined && given !== '' ? Number(given) : QUICK ? quick : full;
}

/**
 * V8 flags the service runs with in production (package.json start/start:prod, Dockerfile):
 * a 16 MiB young-generation semi-space instead of V8's default sizing, under which the young
 * generation grew to about 100 MiB here. Measured side by side: peak RSS 432/459 → 394/387 MiB (refresh/re-scan
 * of 5,000 mailboxes) at no cost in service CPU per item (README, Performance).
 */
export const SERVICE_NODE_FLAGS = ['--max-semi-space-size=16', '--heap-growing-percent=50'];

/**
 * Starts `file` again in a child process as `role`; resolves once the child is ready, with
 * `call(cmd, args)` (a command answered by the child's serveRole handlers), its first message
 * (`info`), `pid` and `close()`. The service role gets the statement counter preloaded, and
 * BENCH_CPU_PROF=<dir> writes a V8 CPU profile of it there.
 */
export async function spawnRole(file, role, args = {}) {
  const execArgv = [];
  if (role === 'service') {
    execArgv.push('--import', new URL('./count-statements.mjs', import.meta.url).href);
    // gc() at the start and end of a measured phase: the heap retained after it shows growth.
    execArgv.push('--expose-gc');
    // The service's V8 flags as production runs it (npm start, start:prod, Dockerfile);
    // BENCH_SERVICE_FLAGS replaces them (empty: V8's defaults), to compare.
    const flags = process.env.BENCH_SERVICE_FLAGS ?? SERVICE_NODE_FLAGS.join(' ');
    execArgv.push(...flags.split(' ').filter(Boolean));
    if (process.env.BENCH_CPU_PROF) {
      execArgv.push('--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`);
    }
  }
  const child = fork(fileURLToPath(file), process.argv.slice(2), {
    env: { ...process.env, BENCH_ROLE: role },
    execArgv,
    serialization: 'advanced',
    stdio: 'inherit',
  });
  const pending = new Map();
  let nextId = 0;
  let exited = false;
  child.on('exit', (code) => {
    exited = true;
    for (const { reject } of pending.values()) reject(new Error(`${role} exited (${code})`));
    pending.clear();
  });
  const info = await new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${role} exited before it was ready (${code})`)));
    child.once('message', (m) => resolve(m.ready));
    child.send({ id: -1, cmd: 'init', args });
  });
  child.on('message', ({ id, result, error }) => {
    const waiter = pending.get(id);
    if (!waiter) return;
    pending.delete(id);
    if (error) waiter.reject(new Error(`${role}: ${error}`));
    else waiter.resolve(result);
  });
  return {
    pid: child.pid,
    info,
    call(cmd, callArgs) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        child.send({ id, cmd, args: callArgs });
      });
    },
    async close() {
      if (exited) return;
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.send({ id: -2, cmd: 'exit' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await gone;
      clearTimeout(timer);
    },
  };
}

/**
 * The emulator role: starts the emulator with `options`, then `seed(emulator, defaultSeed)`
 * (defaultSeed: dist/sandbox/default-seed.js), whose result joins `baseUrl` and `caCertPem` in
 * the ready info. Commands: `clear` (the request and token logs) and `handlers`, each called
 * as `handler(emulator, args)`; exit closes the emulator.
 */
export function serveEmulator(options, seed, handlers) {
  let emulator;
  const commands = { clear: (e) => e.control.clearLogs(), ...handlers };
  serveRole(
    async () => {
      const { startM365Emulator } = await import('../../dist/sandbox/emulator.js');
      const defaultSeed = await import('../../dist/sandbox/default-seed.js');
      emulator = await startM365Emulator(options);
      const info = await seed(emulator, defaultSeed);
      return { baseUrl: emulator.baseUrl, caCertPem: emulator.caCertPem, ...info };
    },
    Object.fromEntries(
      Object.entries(commands).map(([cmd, handler]) => [cmd, (args) => handler(emulator, args)]),
    ),
    () => emulator?.close(),
  );
}

/**
 * The child's side: `init(args)` runs first and its result is sent as the ready message; then
 * each command is answered by `handlers[cmd](args)`. Built in: `mark` (start of a measured
 * phase: CPU time, statement count and peak RSS start again) and `metrics` (since the mark).
 */
export function serveRole(init, handlers, onExit) {
  let mark = markNow();
  let peakHeap = 0;
  setInterval(() => {
    peakHeap = Math.max(peakHeap, getHeapStatistics().total_heap_size);
  }, 100).unref();
  process.on('message', async ({ id, cmd, args }) => {
    try {
      if (cmd === 'init') return process.send({ ready: await init(args) });
      if (cmd === 'exit') {
        await onExit?.();
        process.exit(0);
      }
      let result;
      if (cmd === 'mark') {
        result = mark = markNow();
        peakHeap = 0;
      } else if (cmd === 'metrics') {
        result = { ...metricsSince(mark), peakHeapMiB: peakHeap / MIB };
        global.gc?.();
        result.retainedHeapMiB = process.memoryUsage().heapUsed / MIB;
        result.retainedHeapAtMarkMiB = mark.heapUsed / MIB;
      } else if (handlers[cmd]) result = await handlers[cmd](args);
      else throw new Error(`unknown command ${cmd}`);
      process.send({ id, result });
    } catch (error) {
      process.send({ id, error: error?.stack ?? String(error) });
    }
  });
}

function markNow() {
  global.gc?.();
  // Linux: writing 5 to clear_refs resets this process's peak RSS (VmHWM) to its current RSS.
  try {
    writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    /* not Linux, or not allowed: the peak then counts from the start of the process */
  }
  return {
    cpu: process.cpuUsage(),
    statements: globalThis.__benchStatements?.total ?? 0,
    texts: new Map(globalThis.__benchStatements?.texts ?? []),
    heapUsed: process.memoryUsage().heapUsed,
    at: performance.now(),
  };
}

function metricsSince(mark) {
  const cpu = process.cpuUsage(mark.cpu);
  const counter = globalThis.__benchStatements;
  let statementTexts;
  if (counter?.texts) {
    statementTexts = [...counter.texts]
      .map(([text, n]) => [text, n - (mark.texts.get(text) ?? 0)])
      .filter(([, n]) => n > 0)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 25);
  }
  return {
    cpuMs: (cpu.user + cpu.system) / 1000,
    statements: (counter?.total ?? 0) - mark.statements,
    peakRssMiB: peakRss() / MIB,
    rssMiB: process.memoryUsage().rss / MIB,
    statementTexts,
  };
}

/** VmHWM (peak resident set) of this process, in bytes. */
function peakRss() {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const kb = /VmHWM:\s+(\d+) kB/.exec(status);
    if (kb) return Number(kb[1]) * 1024;
  } catch {
    /* not Linux */
  }
  return process.resourceUsage().maxRSS * 1024;
}

/**
 * One bench's figures in the shape of test-artifacts/bench.json. `ratio` is ideal/actual time
 * (1 = as fast as the ideal); per-item figures divide by `items`.
 */
export function benchRecord({
  name,
  items,
  seconds,
  idealSeconds,
  ideal,
  service,
  graphRequests,
  tokenRequests,
  target,
  extra = {},
}) {
  const per = (n) => (n === undefined || n === null ? null : round(n / items, 3));
  const record = {
    name,
    items,
    seconds: round(seconds, 2),
    ideal_seconds: round(idealSeconds, 2),
    ideal,
    ratio: round(idealSeconds / seconds, 3),
    target: target ?? null,
    service_cpu_ms_per_item: per(service.cpuMs),
    db_statements_per_item: per(service.statements),
    graph_requests_per_item: per(graphRequests),
    token_requests_per_item: per(tokenRequests),
    service_peak_rss_mib: round(service.peakRssMiB, 0),
    service_peak_heap_mib: round(service.peakHeapMiB, 0),
    // Heap in use after a full GC, before and after the phase: a leak grows it with the items.
    service_retained_heap_mib: [
      round(service.retainedHeapAtMarkMiB, 0),
      round(service.retainedHeapMiB, 0),
    ],
    ...extra,
  };
  if (service.statementTexts) record.top_statements = service.statementTexts;
  return record;
}

/** Prints a record and hands it to run.mjs (BENCH_OUT, one JSON line per record). */
export function emit(record) {
  const { top_statements: top, ...shown } = record;
  console.log(`  ${JSON.stringify(shown)}`);
  if (top) for (const [text, n] of top) console.log(`    ${String(n).padStart(7)}  ${text}`);
  if (process.env.BENCH_OUT) appendFileSync(process.env.BENCH_OUT, `${JSON.stringify(record)}\n`);
}

export function round(n, digits) {
  if (n === undefined || n === null || !Number.isFinite(n)) return null;
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** `count` calls of `once(i)` with `concurrency` in flight; returns seconds and latencies. */
export async function closedLoop(count, concurrency, once) {
  let next = 0;
  const latencies = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const t = performance.now();
        await once(i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p) =>
    latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
  return { seconds, rate: count / seconds, p50: pct(50), p99: pct(99) };
}

/** Runs `body` with a scratch database, dropping it afterwards and closing `children`. */
export async function withScratch(body) {
  const db = await scratchDatabase();
  const children = [];
  try {
    await body(db, children);
  } finally {
    for (const child of children.reverse()) await child.close().catch(() => {});
    await db.drop();
  }
}

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

/** The service without Microsoft, listening on 127.0.0.1; `url` is its base URL. */
export async function listenService(databaseUrl, env = {}) {
  const started = await startService(databaseUrl, NO_EMULATOR, env);
  await started.app.listen(0, '127.0.0.1');
  return { ...started, url: (await started.app.getUrl()).replace('[::1]', '127.0.0.1') };
}

/**
 * The orchestrator of the emulator benches: a scratch database, the emulator child (its ready
 * info has `users`), then the service child with the first `serviceUsers` of them; the rest
 * (`direct`) are for the ideal, fired straight at the emulator (`endpoint`). Runs
 * `body({ db, emulator, service, endpoint, direct })`, then closes both and drops the database.
 */
export function withEmulatorAndService(moduleUrl, serviceUsers, body) {
  return withScratch(async (db, children) => {
    const emulator = await spawnRole(moduleUrl, 'emulator');
    children.push(emulator);
    const { users, ...endpoint } = emulator.info;
    const service = await spawnRole(moduleUrl, 'service', {
      databaseUrl: db.url,
      emulator: { ...endpoint, users: users.slice(0, serviceUsers) },
    });
    children.push(service);
    await body({ db, emulator, service, endpoint, direct: users.slice(serviceUsers) });
  });
}

/** Awaits `run()`; resolves with its `result` and the `seconds` it took. */
export async function timed(run) {
  const started = performance.now();
  const result = await run();
  return { result, seconds: (performance.now() - started) / 1000 };
}

/**
 * `count` requests straight at the emulator, `concurrency` in flight (closedLoop): `request(i)`
 * gives `{ url, init, status, what }`; an answer other than `status` fails the bench.
 */
export async function emulatorLoop(endpoint, count, concurrency, request) {
  const { Agent, fetch } = await import('undici');
  const agent = new Agent({ connect: { ca: endpoint.caCertPem }, connections: concurrency });
  const result = await closedLoop(count, concurrency, async (i) => {
    const { url, init, status, what } = request(i);
    const res = await fetch(url, { ...init, dispatcher: agent });
    await res.arrayBuffer();
    if (res.status !== status) throw new Error(`${what} answered ${res.status}`);
  });
  await agent.close();
  return result;
}

/**
 * One measured phase: the emulator's logs cleared, the service's counters marked, then the
 * service's `command`; resolves with its `outcome`, the service's `metrics` and the emulator's
 * `counts` (`count` called with `countArgs(cleared)`, `cleared` being what `clear` answered).
 */
export async function measurePhase(emulator, service, command, countArgs = () => undefined) {
  const cleared = await emulator.call('clear');
  await service.call('mark');
  const outcome = await service.call(command);
  const metrics = await service.call('metrics');
  const counts = await emulator.call('count', countArgs(cleared));
  return { outcome, metrics, counts };
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
