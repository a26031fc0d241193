// `npm run bench`: every benchmark, one after another, each printing its figures and ratios.
import { spawnSync } from 'node:child_process';

const benches = [
  ['emulator GET /me throughput', 'test/bench/emulator.bench.mjs', ['5', '16']],
  ['token refresh sweep', 'test/bench/refresh.bench.mjs', ['5000', '20']],
  ['identity re-scan sweep', 'test/bench/rescan.bench.mjs', ['5000', '20']],
  ['dispatch', 'test/bench/dispatch.bench.mjs', ['10000', '200', '20']],
  ['organization sync', 'test/bench/org-sync.bench.mjs', ['10000', '20']],
  ['inbound webhooks and pipeline', 'test/bench/inbound.bench.mjs', ['200', '60', '1000', '50']],
];
let failed = 0;
for (const [name, file, args] of benches) {
  console.log(`\n== ${name}`);
  const run = spawnSync(process.execPath, [file, ...args], { stdio: 'inherit' });
  if (run.status !== 0) failed += 1;
}
process.exit(failed ? 1 : 0);
