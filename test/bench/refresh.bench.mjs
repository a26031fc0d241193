// Token refresh sweep: N delegated mailboxes due, emulator latency L ms. Side by side in one
// run: the rate the emulator allows at the configured concurrency (the same number of refresh
// grants fired straight at its token endpoint, no service in between; at most concurrency /
// latency), then the service's sweep; prints both, their ratio, and peak memory.
// Run after the build: node test/bench/refresh.bench.mjs [mailboxes=5000] [latencyMs=20]
// Database: BENCH_DATABASE_URL or TEST_DATABASE_URL (a server URL; a scratch database is made).
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { ask, memorySampler, sql, startService, withEmulatorWorker } from './support.mjs';

const MAILBOXES = Number(process.argv[2] ?? 5000);
const LATENCY_MS = Number(process.argv[3] ?? 20);
const SCOPES = ['offline_access', 'User.Read', 'Mail.ReadWrite', 'Mail.Send'];

if (isMainThread) await main();
else await runEmulator();

/** The emulator in a worker thread, so the service under test does not share its event loop. */
async function runEmulator() {
  const { startM365Emulator } = await import('../../dist/sandbox/emulator.js');
  const { CONTOSO_TENANT_ID, SANDBOX_APP } = await import('../../dist/sandbox/default-seed.js');
  const emulator = await startM365Emulator({ seed: 'default', latencyMs: workerData.latencyMs });
  const users = [];
  for (let i = 0; i < workerData.mailboxes * 2; i += 1) {
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
  parentPort.postMessage({ baseUrl: emulator.baseUrl, caCertPem: emulator.caCertPem, users });
  parentPort.on('message', async (message) => {
    if (message === 'count') {
      const issued = emulator.control.tokenLog({ grantType: 'refresh_token', outcome: 'issued' });
      parentPort.postMessage({ refreshCalls: issued.length - workerData.mailboxes });
      return;
    }
    await emulator.close();
    process.exit(0);
  });
}

async function main() {
  await withEmulatorWorker(
    import.meta.url,
    { mailboxes: MAILBOXES, latencyMs: LATENCY_MS },
    async (db, emulator, worker) => {
      const direct = emulator.users.splice(MAILBOXES);
      await run(db.url, { ...emulator, direct }, worker);
    },
  );
}

async function run(databaseUrl, emulator, worker) {
  const { TokenVault } = await import('../../dist/common/crypto/vault.js');
  const { MailboxRefreshJob } = await import('../../dist/modules/mailbox/mailbox-refresh.job.js');
  const { SANDBOX_APP } = await import('../../dist/sandbox/default-seed.js');
  const { app, config } = await startService(databaseUrl, emulator, {
    TOKEN_REFRESH_CONCURRENCY: process.env.TOKEN_REFRESH_CONCURRENCY ?? '',
  });
  await seed(databaseUrl, new TokenVault(config), emulator.users);
  const concurrency = config.jobs.tokenRefresh.concurrency;
  const emulatorRate = await grantRate(emulator, concurrency, SANDBOX_APP);
  const job = app.get(MailboxRefreshJob);
  const memory = memorySampler();
  const started = performance.now();
  const result = await job.sweep(1_000_000);
  const seconds = (performance.now() - started) / 1000;
  const peak = memory.stop();
  const { refreshCalls } = await ask(worker, 'count');
  const rate = result.refreshed / seconds;
  const bound = concurrency / (LATENCY_MS / 1000);
  console.log(
    `token refresh sweep: ${result.refreshed}/${MAILBOXES} mailboxes refreshed in ${seconds.toFixed(2)} s (${refreshCalls} token calls at the emulator), emulator latency ${LATENCY_MS} ms, concurrency ${concurrency}`,
  );
  console.log(
    `  emulator alone at concurrency ${concurrency}: ${emulatorRate.toFixed(0)} refresh grants/s (latency bound ${bound.toFixed(0)}/s)`,
  );
  console.log(
    `  service: ${rate.toFixed(0)} mailboxes/s; ratio to the emulator alone ${(rate / emulatorRate).toFixed(2)}`,
  );
  console.log(`  peak memory: ${peak}`);
  await app.close();
}

/** The ideal: the same grants straight at the emulator's token endpoint, same concurrency. */
async function grantRate(emulator, concurrency, app) {
  const { Agent, fetch } = await import('undici');
  const { CONTOSO_TENANT_ID } = await import('../../dist/sandbox/default-seed.js');
  const agent = new Agent({ connect: { ca: emulator.caCertPem }, connections: concurrency });
  const url = `${emulator.baseUrl}/${CONTOSO_TENANT_ID}/oauth2/v2.0/token`;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < emulator.direct.length) {
        const body = new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: emulator.direct[next++].refreshToken,
          client_id: app.clientId,
          client_secret: app.clientSecret,
          scope: SCOPES.join(' '),
        });
        const res = await fetch(url, {
          method: 'POST',
          dispatcher: agent,
          body,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        });
        await res.arrayBuffer();
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await agent.close();
  return emulator.direct.length / seconds;
}

async function seed(databaseUrl, vault, users) {
  const client = { query: (text, values) => sql(databaseUrl, text, values) };
  const { CONTOSO_TENANT_ID } = await import('../../dist/sandbox/default-seed.js');
  await client.query(`INSERT INTO workspace (id, updated_at) VALUES ('ws-bench', now())`);
  const expires = new Date(Date.now() + 60_000);
  for (let i = 0; i < users.length; i += 500) {
    const chunk = users.slice(i, i + 500).map((u) => ({ ...u, mailboxId: randomUUID() }));
    const ctx = (id) => ({ table: 'mailbox_credential', rowId: id, purpose: 'ms_refresh_token' });
    await client.query(
      `INSERT INTO mailbox (id, workspace_id, connection_type, tenant_id, ms_user_id, email, updated_at)
       SELECT unnest($1::text[]), 'ws-bench', 'delegated', $2, unnest($3::text[]), unnest($4::text[]), now()`,
      [
        chunk.map((u) => u.mailboxId),
        CONTOSO_TENANT_ID,
        chunk.map((u) => u.id),
        chunk.map((u) => u.email),
      ],
    );
    await client.query(
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
