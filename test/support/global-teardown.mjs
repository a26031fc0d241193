// Jest global teardown (plain ESM, see global-setup.mjs). Jest runs every project's teardown
// after all tests, so this may run more than once: each step is idempotent.
import { RUN_ID_ENV, SERVER_URL_ENV, withAdmin } from './test-server.ts';

export default async function globalTeardown() {
  const serverUrl = process.env[SERVER_URL_ENV];
  const runId = process.env[RUN_ID_ENV];
  if (serverUrl && runId && !globalThis.__embeddedTestPostgresStopped) {
    await withAdmin(serverUrl, async (client) => {
      const { rows } = await client.query('SELECT datname FROM pg_database WHERE datname LIKE $1', [
        `m365_t_${runId}_%`,
      ]);
      for (const row of rows) {
        await client.query(`DROP DATABASE IF EXISTS "${row.datname}" WITH (FORCE)`);
      }
    });
  }
  if (globalThis.__embeddedTestPostgres) {
    await globalThis.__embeddedTestPostgres.stop();
    globalThis.__embeddedTestPostgres = undefined;
    globalThis.__embeddedTestPostgresStopped = true;
  }
}
