// Token refresh sweep: N delegated mailboxes due, emulator latency L ms. Three processes: the
// emulator, the service (its sweep, with its CPU time, peak RSS and statements measured apart)
// and this one, which first fires the same number of refresh grants straight at the emulator's
// token endpoint at the sweep's concurrency (the ideal, same run, no service in between).
// Run after the build: node test/bench/refresh.bench.mjs [mailboxes=5000|1000] [latencyMs=20]
// Database: BENCH_DATABASE_URL or TEST_DATABASE_URL (a server URL; a scratch database is made).
import { randomUUID } from 'node:crypto';
import {
  arg,
  benchRecord,
  emit,
  emulatorLoop,
  measurePhase,
  runRole,
  SCOPES,
  serveEmulator,
  serveRole,
  sql,
  startService,
  timed,
  withEmulatorAndService,
} from './support.mjs';

const MAILBOXES = arg(0, 5000, 1000);
const LATENCY_MS = arg(1, 20, 20);

await runRole({ emulator: emulatorRole, service: serviceRole }, main);

function emulatorRole() {
  serveEmulator(
    { seed: 'default', latencyMs: LATENCY_MS },
    (emulator, { CONTOSO_TENANT_ID, SANDBOX_APP }) => {
      const users = [];
      for (let i = 0; i < MAILBOXES * 2; i += 1) {
        const user = emulator.control.addUser(CONTOSO_TENANT_ID, {
          displayName: `Bench ${i}`,
          mail: `bench-${i}@contoso.com`,
        });
        const grant = emulator.store.grants.issueRefreshToken({
          userId: user.id,
          tenantId: CONTOSO_TENANT_ID,
          clientId: SANDBOX_APP.clientId,
          scopes: SCOPES,
        });
        users.push({ id: user.id, email: user.mail, refreshToken: grant.token });
      }
      return { users };
    },
    {
      count: (emulator) => ({
        graph: emulator.control.requestLog({ path: '/v1.0/' }).length,
        tokens: emulator.control.tokenLog({}).length,
        refreshed: emulator.control.tokenLog({ grantType: 'refresh_token', outcome: 'issued' })
          .length,
      }),
    },
  );
}

function serviceRole() {
  let app;
  serveRole(
    async ({ databaseUrl, emulator }) => {
      const { TokenVault } = await import('../../dist/common/crypto/vault.js');
      const started = await startService(databaseUrl, emulator, {
        TOKEN_REFRESH_CONCURRENCY: process.env.TOKEN_REFRESH_CONCURRENCY ?? '',
      });
      app = started.app;
      await seed(databaseUrl, new TokenVault(started.config), emulator.users);
      return { concurrency: started.config.jobs.tokenRefresh.concurrency };
    },
    {
      sweep: async () => {
        const { MailboxRefreshJob } =
          await import('../../dist/modules/mailbox/mailbox-refresh.job.js');
        return timed(() => app.get(MailboxRefreshJob).sweep(1_000_000));
      },
    },
    () => app?.close(),
  );
}

async function main() {
  await withEmulatorAndService(import.meta.url, MAILBOXES, async (bench) => {
    const { db, emulator, service, endpoint, direct } = bench;
    const { concurrency } = service.info;
    const ideal = await grantRate(endpoint, direct, concurrency);
    const {
      outcome: { result, seconds },
      metrics,
      counts,
    } = await measurePhase(emulator, service, 'sweep');
    const steady = await sql(
      db.url,
      `SELECT count(*)::int AS n FROM mailbox_credential WHERE next_refresh_at > now() AND locked_until IS NULL`,
    );
    console.log(
      `token refresh sweep: ${result.refreshed}/${MAILBOXES} refreshed in ${seconds.toFixed(2)} s (emulator alone ${ideal.seconds.toFixed(2)} s at concurrency ${concurrency}, latency ${LATENCY_MS} ms); rescheduled and released ${steady.rows[0].n}`,
    );
    if (result.refreshed !== MAILBOXES || steady.rows[0].n !== MAILBOXES) {
      console.error(`  FAILED: sweep outcome ${JSON.stringify(result)}`);
      process.exitCode = 1;
    }
    emit(
      benchRecord({
        name: 'token refresh sweep',
        items: MAILBOXES,
        seconds,
        idealSeconds: ideal.seconds,
        ideal: `the same ${direct.length} refresh grants straight at the emulator, concurrency ${concurrency}`,
        service: metrics,
        graphRequests: counts.graph,
        tokenRequests: counts.tokens,
        target: { ratio: 0.9, db_statements_per_item: 2, service_peak_rss_mib: 300 },
      }),
    );
  });
}

/** The ideal: the same grants straight at the emulator's token endpoint, same concurrency. */
async function grantRate(endpoint, direct, concurrency) {
  const { CONTOSO_TENANT_ID, SANDBOX_APP } = await import('../../dist/sandbox/default-seed.js');
  const url = `${endpoint.baseUrl}/${CONTOSO_TENANT_ID}/oauth2/v2.0/token`;
  return emulatorLoop(endpoint, direct.length, concurrency, (i) => ({
    url,
    init: {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: direct[i].refreshToken,
        client_id: SANDBOX_APP.clientId,
        client_secret: SANDBOX_APP.clientSecret,
        scope: SCOPES.join(' '),
      }),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    },
    status: 200,
    what: 'refresh grant',
  }));
}

async function seed(databaseUrl, vault, users) {
  const { CONTOSO_TENANT_ID } = await import('../../dist/sandbox/default-seed.js');
  await sql(databaseUrl, `INSERT INTO workspace (id, updated_at) VALUES ('ws-bench', now())`);
  const expires = new Date(Date.now() + 60_000);
  for (let i = 0; i < users.length; i += 500) {
    const chunk = users.slice(i, i + 500).map((u) => ({ ...u, mailboxId: randomUUID() }));
    const ctx = (id) => ({ table: 'mailbox_credential', rowId: id, purpose: 'ms_refresh_token' });
    await sql(
      databaseUrl,
      `INSERT INTO mailbox (id, workspace_id, connection_type, tenant_id, ms_user_id, email, updated_at)
       SELECT unnest($1::text[]), 'ws-bench', 'delegated', $2, unnest($3::text[]), unnest($4::text[]), now()`,
      [
        chunk.map((u) => u.mailboxId),
        CONTOSO_TENANT_ID,
        chunk.map((u) => u.id),
        chunk.map((u) => u.email),
      ],
    );
    await sql(
      databaseUrl,
      `INSERT INTO mailbox_credential (mailbox_id, refresh_token, access_token_expires_at, scopes, updated_at)
       SELECT unnest($1::text[]), unnest($2::text[]), $3, $4, now()`,
      [
        chunk.map((u) => u.mailboxId),
        chunk.map((u) => vault.encrypt(u.refreshToken, ctx(u.mailboxId))),
        expires,
        SCOPES.join(' '),
      ],
    );
  }
}
