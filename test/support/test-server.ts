import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';

/** Env var through which global setup hands the PostgreSQL server URL to test workers. */
export const SERVER_URL_ENV = 'M365_TEST_SERVER_URL';
export const RUN_ID_ENV = 'M365_TEST_RUN_ID';
export const TEMPLATE_ENV = 'M365_TEST_TEMPLATE';

export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function withAdmin<T>(
  serverUrl: string,
  work: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A hash of every migration file, so the template database is rebuilt when they change. */
export function migrationsHash(root: string): string {
  const dir = join(root, 'prisma', 'migrations');
  const hash = createHash('sha256');
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    const file = statSync(path).isDirectory() ? join(path, 'migration.sql') : path;
    hash.update(entry).update(readFileSync(file));
  }
  return hash.digest('hex').slice(0, 12);
}
