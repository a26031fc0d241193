// `npm run bench [-- --quick]`: every benchmark, one after another, each in its own processes
// (orchestrator, emulator, service, baseline). Collects their figures into
// test-artifacts/bench.json (one object per bench), prints a table, and fails when a ratio falls
// below its floor. The floors are deliberately generous (about half of what a quiet 2-core
// machine shows): they catch regressions of the ratios (a lost batch, an N+1 query, a serialised
// pool), not machine noise; absolute times are never compared.
// --quick: smaller item counts (about 2½ minutes on the shared 2-core machine).
// --only=<substring>: run the benches whose file name contains it.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const quick = process.argv.includes('--quick');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const benches = [
  'refresh.bench.mjs',
  'rescan.bench.mjs',
  'org-sync.bench.mjs',
  'webhook.bench.mjs',
  'inbound.bench.mjs',
  'rest.bench.mjs',
  'dispatch.bench.mjs',
].filter((file) => !only || file.includes(only));

/**
 * Ratio floors (ideal time / service time; for REST, service / raw-pg throughput): about half of
 * the lowest a quick run showed on the shared 2-core machine, so only a real regression (a lost
 * batch, a serialised pool) trips them.
 */
const FLOORS = {
  'token refresh sweep': 0.3,
  'identity re-scan sweep': 0.12,
  'organization sync (first: creates every mailbox)': 0.12,
  'organization sync (steady state)': 0.2,
  'webhook acknowledgement': 0.5,
  'GET /v1/mailboxes': 0.2,
  'GET /v1/messages/:id': 0.08,
  dispatch: 0.08,
};
/**
 * Per-item ceilings on counts, not times (the same on any machine): statements per item catch
 * an N+1 query at once, whatever the noise.
 */
const CEILINGS = {
  'token refresh sweep': { db_statements_per_item: 2, token_requests_per_item: 1 },
  'identity re-scan sweep': { db_statements_per_item: 2, graph_requests_per_item: 1 },
  'organization sync (first: creates every mailbox)': { db_statements_per_item: 0.05 },
  'organization sync (steady state)': { db_statements_per_item: 0.05 },
  'webhook acknowledgement': { db_statements_per_item: 2 },
  'GET /v1/mailboxes': { db_statements_per_item: 2.05 },
  'GET /v1/messages/:id': { db_statements_per_item: 1.05 },
  dispatch: { db_statements_per_item: 19, graph_requests_per_item: 1 },
};

const out = join('test-artifacts', 'bench.jsonl');
mkdirSync('test-artifacts', { recursive: true });
rmSync(out, { force: true });
const started = performance.now();
let failed = 0;
for (const file of benches) {
  console.log(`\n== ${file}${quick ? ' (quick)' : ''}`);
  const run = spawnSync(process.execPath, [join('test', 'bench', file)], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_OUT: out, BENCH_QUICK: quick ? '1' : '' },
  });
  if (run.status !== 0) {
    console.error(`FAILED: ${file} exited with ${run.status}`);
    failed += 1;
  }
}
let records = [];
try {
  records = readFileSync(out, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
} catch {
  /* no bench wrote a record */
}
writeFileSync(join('test-artifacts', 'bench.json'), `${JSON.stringify(records, null, 2)}\n`);
rmSync(out, { force: true });

const columns = [
  ['bench', (r) => r.name],
  ['items', (r) => r.items],
  ['s', (r) => r.seconds],
  ['ideal s', (r) => r.ideal_seconds],
  ['ratio', (r) => r.ratio],
  ['target', (r) => r.target?.ratio ?? ''],
  ['cpu ms/item', (r) => r.service_cpu_ms_per_item],
  ['stmts/item', (r) => r.db_statements_per_item],
  ['graph/item', (r) => r.graph_requests_per_item ?? ''],
  ['token/item', (r) => r.token_requests_per_item ?? ''],
  ['peak MiB', (r) => r.service_peak_rss_mib],
  ['p99 ms', (r) => r.p99_ms ?? ''],
];
const rows = [columns.map(([h]) => h), ...records.map((r) => columns.map(([, f]) => String(f(r))))];
const widths = columns.map((_, i) => Math.max(...rows.map((row) => row[i].length)));
console.log(
  `\n${quick ? 'quick ' : ''}bench, ${((performance.now() - started) / 1000).toFixed(0)} s:`,
);
for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(widths[i])).join('  '));

for (const record of records) {
  const floor = FLOORS[record.name];
  if (floor !== undefined && !(record.ratio >= floor)) {
    console.error(`REGRESSION: ${record.name} ratio ${record.ratio} < floor ${floor}`);
    failed += 1;
  }
  for (const [field, max] of Object.entries(CEILINGS[record.name] ?? {})) {
    if (!(record[field] <= max)) {
      console.error(`REGRESSION: ${record.name} ${field} ${record[field]} > ${max}`);
      failed += 1;
    }
  }
  if (record.name === 'dispatch' && record.max_sends_per_window > record.limit_per_window) {
    console.error(`LIMIT: dispatch sent ${record.max_sends_per_window} in one window`);
    failed += 1;
  }
}
console.log(`wrote test-artifacts/bench.json (${records.length} records)`);
process.exit(failed ? 1 : 0);
