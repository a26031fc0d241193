// Identity re-scan sweep: N delegated mailboxes due (identities already known: the daily job's
// steady state), emulator latency L ms. Three processes (emulator, service, this one); the
// ideal is the same Graph read (/me with $select) fired straight at the emulator at the job's
// concurrency in the same run. Graph requests per mailbox must be 1 for delegated mailboxes.
// Run after the build: node test/bench/rescan.bench.mjs [mailboxes=5000|1000] [latencyMs=20]
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
const SELECT = 'id,mail,userPrincipalName,displayName,proxyAddresses';

await runRole({ emulator: emulatorRole, service: serviceRole }, main);

function emulatorRole() {
  serveEmulator(
    { seed: 'default', accessTokenLifetimeSec: 7200 },
    (emulator, { CONTOSO_TENANT_ID, SANDBOX_APP }) => {
      const users = [];
      for (let i = 0; i < MAILBOXES * 2; i += 1) {
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
      emulator.store.faults.globalLatencyMs = LATENCY_MS;
      return { users };
    },
    {
      count: (emulator) => ({
        graph: emulator.control.requestLog({ path: '/v1.0/' }).length,
        tokens: emulator.control.tokenLog({}).length,
      }),
    },
  );
}

function serviceRole() {
  let app;
  serveRole(
    async ({ databaseUrl, emulator }) => {
      const started = await startService(databaseUrl, emulator);
      app = started.app;
      await seed(databaseUrl, started.config, emulator.users);
      return { concurrency: started.config.jobs.identityScanConcurrency };
    },
    {
      sweep: async () => {
        const { IdentityScanJob } =
          await import('../../dist/modules/identity/identity-scan.job.js');
        return timed(() => app.get(IdentityScanJob).sweep(1_000_000));
      },
    },
    () => app?.close(),
  );
}

async function main() {
  await withEmulatorAndService(import.meta.url, MAILBOXES, async (bench) => {
    const { db, emulator, service, endpoint, direct } = bench;
    const { concurrency } = service.info;
    const ideal = await emulatorLoop(endpoint, direct.length, concurrency, (i) => ({
      url: `${endpoint.baseUrl}/v1.0/me?$select=${SELECT}`,
      init: { headers: { authorization: `Bearer ${direct[i].accessToken}` } },
      status: 200,
      what: '/me',
    }));
    const {
      outcome: { result, seconds },
      metrics,
      counts,
    } = await measurePhase(emulator, service, 'sweep');
    const identities = (await sql(db.url, 'SELECT count(*)::int AS n FROM identity')).rows[0].n;
    console.log(
      `identity re-scan sweep: ${result.scanned}/${MAILBOXES} scanned in ${seconds.toFixed(2)} s (${result.failed} failed, ${identities} identities; emulator alone ${ideal.seconds.toFixed(2)} s at concurrency ${concurrency}, latency ${LATENCY_MS} ms)`,
    );
    if (result.scanned !== MAILBOXES || identities !== MAILBOXES * 2) {
      console.error(`  FAILED: sweep outcome ${JSON.stringify(result)}`);
      process.exitCode = 1;
    }
    emit(
      benchRecord({
        name: 'identity re-scan sweep',
        items: MAILBOXES,
        seconds,
        idealSeconds: ideal.seconds,
        ideal: `the same ${direct.length} /me reads straight at the emulator, concurrency ${concurrency}`,
        service: metrics,
        graphRequests: counts.graph,
        tokenRequests: counts.tokens,
        target: { ratio: 0.9, graph_requests_per_item: 1, service_peak_rss_mib: 300 },
      }),
    );
  });
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
