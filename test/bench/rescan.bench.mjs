// Identity re-scan sweep: N delegated mailboxes due (identities already known: the daily job's
// steady state), emulator latency L ms. Side by side in one
// run: the rate the emulator serves the same Graph read (/me with $select, same concurrency, no
// service in between), then the service's sweep; prints both, their ratio, Graph requests per
// mailbox (must be 1 for delegated mailboxes) and peak memory.
// Run after the build: node test/bench/rescan.bench.mjs [mailboxes=5000] [latencyMs=20]
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import {
  ask,
  directRate,
  memorySampler,
  sql,
  startService,
  withEmulatorWorker,
} from './support.mjs';

const MAILBOXES = Number(process.argv[2] ?? 5000);
const LATENCY_MS = Number(process.argv[3] ?? 20);
const SCOPES = ['offline_access', 'User.Read', 'Mail.ReadWrite', 'Mail.Send'];
const SELECT = 'id,mail,userPrincipalName,displayName,proxyAddresses';

if (isMainThread) await main();
else await runEmulator();

async function runEmulator() {
  const { startM365Emulator } = await import('../../dist/sandbox/emulator.js');
  const { CONTOSO_TENANT_ID, SANDBOX_APP } = await import('../../dist/sandbox/default-seed.js');
  const emulator = await startM365Emulator({ seed: 'default', accessTokenLifetimeSec: 7200 });
  const users = [];
  for (let i = 0; i < workerData.mailboxes * 2; i += 1) {
    const mail = `scan-${i}@contoso.com`;
    const proxies = [`SMTP:${mail}`, `smtp:Scan.${i}@Sales.Contoso.com`, `SIP:${mail}`];
    const user = emulator.control.addUser(CONTOSO_TENANT_ID, {
      displayName: `Scan ${i}`,
      mail,
      proxyAddresses: proxies,
    });
    users.push({
      id: user.id,
      email: mail,
      alias: `scan.${i}@sales.contoso.com`,
      ...emulator.control.issueUserTokens(user.id, SANDBOX_APP.clientId, SCOPES),
    });
  }
  emulator.store.faults.globalLatencyMs = workerData.latencyMs;
  parentPort.postMessage({ baseUrl: emulator.baseUrl, caCertPem: emulator.caCertPem, users });
  parentPort.on('message', async (message) => {
    if (message === 'mark') return parentPort.postMessage(emulator.control.clearLogs());
    if (message === 'count') {
      return parentPort.postMessage({
        graph: emulator.control.requestLog({ path: '/v1.0/' }).length,
        tokens: emulator.control.tokenLog({}).length,
      });
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
      const { app, config } = await startService(db.url, emulator);
      await seed(db.url, config, emulator.users);
      const concurrency = config.jobs.identityScanConcurrency;
      const { Agent, fetch } = await import('undici');
      const agent = new Agent({ connect: { ca: emulator.caCertPem }, connections: concurrency });
      const emulatorRate = await directRate(direct.length, concurrency, async (i) => {
        const res = await fetch(`${emulator.baseUrl}/v1.0/me?$select=${SELECT}`, {
          dispatcher: agent,
          headers: { authorization: `Bearer ${direct[i].accessToken}` },
        });
        await res.arrayBuffer();
      });
      await agent.close();
      await ask(worker, 'mark');
      const { IdentityScanJob } = await import('../../dist/modules/identity/identity-scan.job.js');
      const memory = memorySampler();
      const started = performance.now();
      const result = await app.get(IdentityScanJob).sweep(1_000_000);
      const seconds = (performance.now() - started) / 1000;
      const peak = memory.stop();
      const counts = await ask(worker, 'count');
      const rate = result.scanned / seconds;
      const identities = await sql(db.url, 'SELECT count(*)::int AS n FROM identity');
      console.log(
        `identity re-scan sweep: ${result.scanned}/${MAILBOXES} mailboxes scanned in ${seconds.toFixed(2)} s (${result.failed} failed, ${identities.rows[0].n} identities), emulator latency ${LATENCY_MS} ms, concurrency ${concurrency}`,
      );
      console.log(
        `  emulator alone at concurrency ${concurrency}: ${emulatorRate.toFixed(0)} reads/s (latency bound ${(concurrency / (LATENCY_MS / 1000)).toFixed(0)}/s)`,
      );
      console.log(
        `  service: ${rate.toFixed(0)} mailboxes/s; ratio to the emulator alone ${(rate / emulatorRate).toFixed(2)}`,
      );
      console.log(
        `  Graph requests per mailbox: ${(counts.graph / MAILBOXES).toFixed(2)}; token requests: ${counts.tokens}`,
      );
      console.log(`  peak memory: ${peak}`);
      await app.close();
    },
  );
}

async function seed(databaseUrl, config, users) {
  const { TokenVault } = await import('../../dist/common/crypto/vault.js');
  const { CONTOSO_TENANT_ID } = await import('../../dist/sandbox/default-seed.js');
  const vault = new TokenVault(config);
  await sql(databaseUrl, `INSERT INTO workspace (id, updated_at) VALUES ('ws-bench', now())`);
  const expires = new Date(Date.now() + 3600_000);
  for (let i = 0; i < users.length; i += 500) {
    const chunk = users.slice(i, i + 500).map((u) => ({ ...u, mailboxId: randomUUID() }));
    const seal = (u, value, purpose) =>
      vault.encrypt(value, { table: 'mailbox_credential', rowId: u.mailboxId, purpose });
    const ids = chunk.map((u) => u.mailboxId);
    await sql(
      databaseUrl,
      `INSERT INTO mailbox (id, workspace_id, connection_type, tenant_id, ms_user_id, email, updated_at)
       SELECT unnest($1::text[]), 'ws-bench', 'delegated', $2, unnest($3::text[]), unnest($4::text[]), now()`,
      [ids, CONTOSO_TENANT_ID, chunk.map((u) => u.id), chunk.map((u) => u.email)],
    );
    await sql(
      databaseUrl,
      `INSERT INTO mailbox_credential (mailbox_id, refresh_token, access_token, access_token_expires_at, scopes, updated_at)
       SELECT unnest($1::text[]), unnest($2::text[]), unnest($3::text[]), $4, $5, now()`,
      [
        ids,
        chunk.map((u) => seal(u, u.refreshToken, 'ms_refresh_token')),
        chunk.map((u) => seal(u, u.accessToken, 'ms_access_token')),
        expires,
        SCOPES.join(' '),
      ],
    );
    await sql(
      databaseUrl,
      `INSERT INTO identity_scan (mailbox_id, scanned_at, next_scan_at)
       SELECT unnest($1::text[]), now() - interval '1 day', now() - interval '1 minute'`,
      [ids],
    );
    // A re-scan: what Microsoft lists is already known (the steady state of the daily job).
    await sql(
      databaseUrl,
      `INSERT INTO identity (id, mailbox_id, workspace_id, email, type, source, updated_at)
       SELECT gen_random_uuid()::text, m, 'ws-bench', e, t::"IdentityType", 'discovered', now()
         FROM unnest($1::text[], $2::text[], $3::text[]) AS x(m, e, t)`,
      [
        chunk.flatMap((u) => [u.mailboxId, u.mailboxId]),
        chunk.flatMap((u) => [u.email, u.alias]),
        chunk.flatMap(() => ['primary', 'alias']),
      ],
    );
  }
}
