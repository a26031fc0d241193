// Jest global setup. Plain ESM (Jest loads global setup outside its ESM transform); it imports
// our TypeScript through Node's built-in type stripping (Node >= 22.18 / 24).
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../../src/common/database/embedded-postgres.ts';
import { applyMigrations, findProjectRoot } from '../../src/common/database/migrate.ts';
import {
  databaseUrl,
  migrationsHash,
  RUN_ID_ENV,
  SERVER_URL_ENV,
  TEMPLATE_ENV,
  withAdmin,
} from './test-server.ts';

/**
 * Finds a PostgreSQL server (TEST_DATABASE_URL, else an embedded one under
 * .data/test-postgres) and builds a template database with every migration applied, from
 * which each test file clones its own database. Each project that needs a database declares
 * this setup; the first one does the work.
 */
export default async function globalSetup() {
  if (process.env[SERVER_URL_ENV]) return;
  const root = findProjectRoot();
  const serverUrl = process.env.TEST_DATABASE_URL || (await startEmbedded(root));
  const template = `m365_tpl_${migrationsHash(root)}`;
  await ensureTemplate(serverUrl, template);
  process.env[SERVER_URL_ENV] = serverUrl;
  process.env[TEMPLATE_ENV] = template;
  process.env[RUN_ID_ENV] = randomBytes(4).toString('hex');
}

async function startEmbedded(root) {
  const dir = join(root, '.data', 'test-postgres');
  mkdirSync(join(root, '.data'), { recursive: true });
  const server = await startEmbeddedPostgres({ dir, port: await freePort(), database: 'postgres' });
  globalThis.__embeddedTestPostgres = server;
  return server.serverUrl;
}

async function ensureTemplate(serverUrl, template) {
  const exists = await withAdmin(serverUrl, async (client) => {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
    return found.rowCount === 1;
  });
  if (exists) return;
  const building = `${template}_build_${randomBytes(3).toString('hex')}`;
  await withAdmin(serverUrl, (client) => client.query(`CREATE DATABASE "${building}"`));
  await applyMigrations(databaseUrl(serverUrl, building));
  // Renamed into place so a concurrent run never clones a half-migrated template.
  await withAdmin(serverUrl, async (client) => {
    await client.query(`ALTER DATABASE "${building}" RENAME TO "${template}"`).catch(async () => {
      await client.query(`DROP DATABASE IF EXISTS "${building}"`);
    });
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
