import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { findProjectRoot } from '../../src/common/database/migrate.js';

/** The built service (`dist/main.js`) run as a child process, as `npm start` runs it. */
export interface ServiceRun {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

const root = findProjectRoot();

export function startService(env: Record<string, string>): ServiceRun {
  const child = spawn(process.execPath, [join(root, 'dist', 'main.js')], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  return { child, output: () => output, exited };
}

export async function waitReady(port: number, run: ServiceRun, timeoutMs = 30_000): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (run.child.exitCode !== null) throw new Error(`exited early:\n${run.output()}`);
    const res = await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => undefined);
    if (res?.status === 200) return;
    await sleep(50);
  }
  throw new Error(`not ready within ${timeoutMs} ms:\n${run.output()}`);
}

/** SIGTERM, then SIGKILL if the service has not exited within 15 s. */
export async function stopService(run: ServiceRun): Promise<void> {
  if (run.child.exitCode !== null || run.child.signalCode !== null) return;
  run.child.kill('SIGTERM');
  const timer = setTimeout(() => run.child.kill('SIGKILL'), 15_000);
  await run.exited;
  clearTimeout(timer);
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** A temporary DATA_DIR the embedded server can enter (it runs as `postgres` when we are root). */
export function tempDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'm365-embedded-'));
  chmodSync(dir, 0o755);
  return dir;
}

/** The pid in DATA_DIR/postgres/postmaster.pid, if that file exists. */
export function postmasterPid(dataDir: string): number | undefined {
  const file = join(dataDir, 'postgres', 'postmaster.pid');
  return existsSync(file) ? Number.parseInt(readFileSync(file, 'utf8'), 10) : undefined;
}

/**
 * Whether `pid` is a running process. A zombie is not: an orphan (the postgres of a service
 * killed with SIGKILL) is re-parented to PID 1, and where PID 1 does not reap (a container's or
 * microVM's init), it stays a zombie after it exited, still answering signal 0.
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return !existsSync('/proc/self/stat'); // no procfs (macOS): signal 0 is all there is
  }
}

/** Stops a PostgreSQL still running on `dataDir` (fast shutdown, then SIGKILL) and removes it. */
export async function removeDataDir(dataDir: string): Promise<void> {
  const pid = postmasterPid(dataDir);
  if (pid && isAlive(pid)) {
    process.kill(pid, 'SIGINT');
    for (let i = 0; i < 100 && isAlive(pid) && postmasterPid(dataDir) === pid; i++)
      await sleep(100);
    if (postmasterPid(dataDir) === pid && isAlive(pid)) process.kill(pid, 'SIGKILL');
  }
  rmSync(dataDir, { recursive: true, force: true });
}
