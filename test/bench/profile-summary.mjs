// Sums a V8 .cpuprofile (BENCH_CPU_PROF=<dir>) by function or by file/package: self and
// inclusive time, top N. A window limits it to the samples between the first and the last whose
// stack has a frame matching a pattern (the measured sweep, not the service's start-up).
// node test/bench/profile-summary.mjs <file.cpuprofile> [top=40] [fn|file] [window-regex]
import { readFileSync } from 'node:fs';

const [file, top = '40', mode = 'fn', windowPattern] = process.argv.slice(2);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);

function stackOf(id) {
  const stack = [];
  for (let at = id; at !== undefined; at = parent.get(at)) stack.push(nodes.get(at));
  return stack;
}

function keyOf(node) {
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url.replace(/^.*node_modules\//, 'nm:').replace(/^file:\/\/.*\/dist\//, 'dist/');
  if (mode !== 'file') return `${functionName || '(anonymous)'} ${where}:${lineNumber}`;
  const pkg = where.match(/^nm:((@[^/]+\/)?[^/]+)/);
  return pkg ? pkg[1] : where || functionName;
}

function windowOf(samples) {
  if (!windowPattern) return [0, samples.length - 1];
  const re = new RegExp(windowPattern);
  const hits = [];
  samples.forEach((id, i) => {
    const inside = stackOf(id).some((n) =>
      re.test(`${n.callFrame.functionName} ${n.callFrame.url}`),
    );
    if (inside) hits.push(i);
  });
  return [hits[0] ?? 0, hits.at(-1) ?? -1];
}

const self = new Map();
const inclusive = new Map();
let total = 0;
const add = (map, key, us) => map.set(key, (map.get(key) ?? 0) + us);
const [from, to] = windowOf(profile.samples);
for (let i = from; i <= to; i += 1) {
  const us = profile.timeDeltas[i] ?? 0;
  const stack = stackOf(profile.samples[i]);
  total += us;
  add(self, keyOf(stack[0]), us);
  for (const key of new Set(stack.map(keyOf))) add(inclusive, key, us);
}

const table = (map) =>
  [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, Number(top))
    .map(
      ([key, us]) =>
        `${(us / 1000).toFixed(0).padStart(7)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%  ${key}`,
    )
    .join('\n');
console.log(
  `${(total / 1000).toFixed(0)} ms sampled\n-- self\n${table(self)}\n-- inclusive\n${table(inclusive)}`,
);
