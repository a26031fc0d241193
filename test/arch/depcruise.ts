import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CONFIG = join(ROOT, '.dependency-cruiser.cjs');
const BIN = join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruiser.mjs');

/** Path (relative to the fixture root) → file contents. */
export type Files = Record<string, string>;

export interface Violation {
  rule: string;
  from: string;
  to: string;
}

interface Rule {
  name: string;
  from: { path?: string };
}

export const ruleSet = createRequire(import.meta.url)(CONFIG) as { forbidden: Rule[] };

/** The ordered module layers, read back from the generated `layer-order` rules. */
export const layers: string[][] = ruleSet.forbidden
  .filter((rule) => rule.name === 'layer-order')
  .map((rule) => /\(([^)]+)\)/.exec(rule.from.path ?? '')![1].split('|'));

const TSCONFIG = {
  compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2023' },
  include: ['src/**/*.ts'],
};

/** Writes a throw-away tree shaped like this repository (src/, tsconfig.json). */
export function writeFixture(files: Files): string {
  const dir = mkdtempSync(join(tmpdir(), 'arch-'));
  const all: Files = {
    'tsconfig.json': JSON.stringify(TSCONFIG),
    'package.json': '{ "type": "module" }',
    ...files,
  };
  for (const [path, text] of Object.entries(all)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

export function removeFixture(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

const RUNNER = fileURLToPath(new URL('./cruise-fixtures.mjs', import.meta.url));

interface Run {
  exitCode: number;
  stdout: string;
  stderr: string;
}

function run(args: string[], cwd: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const options = { cwd, maxBuffer: 64 * 1024 * 1024 };
    execFile(process.execPath, args, options, (error, stdout, stderr) => {
      const exitCode = error ? Number(error.code) : 0;
      if (Number.isNaN(exitCode)) reject(error ?? new Error(`${args[0]} did not run`));
      else resolve({ exitCode, stdout, stderr });
    });
  });
}

/** The violations in each fixture, as `depcruise src` reports them there (one process for all). */
export async function cruiseFixtures(dirs: string[]): Promise<Map<string, Violation[]>> {
  const { exitCode, stdout, stderr } = await run([RUNNER, CONFIG, ...dirs], ROOT);
  if (exitCode !== 0) throw new Error(`cruise-fixtures.mjs exited with ${exitCode}: ${stderr}`);
  return new Map(Object.entries(JSON.parse(stdout) as Record<string, Violation[]>));
}

/** The exit code of the command CI runs (`depcruise src --config …`) in a fixture. */
export async function depcruiseExitCode(dir: string): Promise<number> {
  return (await run([BIN, 'src', '--config', CONFIG], dir)).exitCode;
}
