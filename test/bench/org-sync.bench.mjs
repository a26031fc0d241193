// Organization sync: a tenant of N users (shared mailboxes, former employees, rooms, equipment and
// accounts without a mailbox mixed in), emulator latency L ms. Side by side in one run: the same
// Graph reads made straight against the emulator (client credentials, /users pages of 999, the
// disabled accounts' mailboxSettings in $batches of 20, 4 in flight — no service, no database),
// then the service's first sync (creates every mailbox and identity) and a second one (steady
// state). Prints times, ratios to the emulator alone, Graph requests by kind (list calls must be
// ⌈N/999⌉, nothing per user) and peak memory of each phase.
// Run after the build: node test/bench/org-sync.bench.mjs [users=10000] [latencyMs=20]
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { ask, memorySampler, sql, startService, withEmulatorWorker } from './support.mjs';

const USERS = Number(process.argv[2] ?? 10_000);
const LATENCY_MS = Number(process.argv[3] ?? 20);
const MIX = {
  sharedEvery: 10,
  disabledEvery: 7,
  noMailboxEvery: 13,
  roomEvery: 50,
  equipmentEvery: 97,
};
const SELECT = 'id,mail,userPrincipalName,displayName,proxyAddresses,accountEnabled,userType';

if (isMainThread) await main();
else await runEmulator();

async function runEmulator() {
  const { startM365Emulator } = await import('../../dist/sandbox/emulator.js');
  const { SANDBOX_APP } = await import('../../dist/sandbox/default-seed.js');
  const emulator = await startM365Emulator({ seed: 'default', accessTokenLifetimeSec: 7200 });
  const bulk = emulator.control.seedBulkTenant({ users: workerData.users, name: 'bench', ...MIX });
  emulator.control.grantAdminConsent(bulk.tenantId, SANDBOX_APP.clientId);
  emulator.store.faults.globalLatencyMs = workerData.latencyMs;
  parentPort.postMessage({
    baseUrl: emulator.baseUrl,
    caCertPem: emulator.caCertPem,
    tenantId: bulk.tenantId,
    counts: bulk.counts,
  });
  parentPort.on('message', async (message) => {
    if (message === 'mark') return parentPort.postMessage(emulator.control.clearLogs());
    if (message === 'count') return parentPort.postMessage(countRequests(emulator));
    await emulator.close();
    process.exit(0);
  });
}

/** Graph requests by kind; the emulator logs each $batch item as it runs it through itself. */
function countRequests(emulator) {
  const log = emulator.control.requestLog({ tokenKind: 'app' });
  const lists = log.filter((r) => r.path === '/v1.0/users').length;
  const batches = log.filter((r) => r.path === '/v1.0/$batch').length;
  const items = log.filter((r) => r.path.endsWith('/mailboxSettings')).length;
  const tokens = emulator.control.tokenLog({}).length;
  return { lists, batches, items, other: log.length - lists - batches - items, tokens };
}

async function main() {
  await withEmulatorWorker(
    import.meta.url,
    { users: USERS, latencyMs: LATENCY_MS },
    async (db, emulator, worker) => {
      const { app } = await startService(db.url, emulator);
      const memory = memorySampler();
      const started = performance.now();
      const direct = await emulatorAlone(emulator);
      const directSeconds = (performance.now() - started) / 1000;
      const directPeak = memory.stop();
      const directCounts = await ask(worker, 'count');
      await ask(worker, 'mark');

      const organizationId = await seedOrganization(db.url, emulator.tenantId);
      const { OrganizationSyncJob } =
        await import('../../dist/modules/admin-consent/organization-sync.job.js');
      const job = app.get(OrganizationSyncJob);
      const first = await timed(() => job.sweep());
      const firstCounts = await ask(worker, 'count');
      await ask(worker, 'mark');
      await sql(db.url, `UPDATE organization SET next_sync_at = now() WHERE id = $1`, [
        organizationId,
      ]);
      const second = await timed(() => job.sweep());
      const org = (
        await sql(db.url, `SELECT status, last_sync_counts FROM organization WHERE id = $1`, [
          organizationId,
        ])
      ).rows[0];
      const rows = await sql(
        db.url,
        `SELECT (SELECT count(*)::int FROM mailbox WHERE disconnected_at IS NULL) AS mailboxes,
                (SELECT count(*)::int FROM identity) AS identities`,
      );
      const { counts } = emulator;
      const expected = counts.user + counts.shared;
      const pages = Math.ceil(USERS / 999);
      console.log(
        `organization sync: ${USERS} users (${expected} with a kept mailbox, ${counts.shared} shared), emulator latency ${LATENCY_MS} ms; result ${org.status}, ${rows.rows[0].mailboxes} mailboxes, ${rows.rows[0].identities} identities`,
      );
      console.log(
        `  Graph requests: list calls ${firstCounts.lists} (⌈N/999⌉ = ${pages}), $batch ${firstCounts.batches} (${firstCounts.items} items = the disabled accounts), per-user requests ${firstCounts.other}, token requests ${firstCounts.tokens}`,
      );
      console.log(
        `  emulator alone, same reads (${directCounts.lists} lists, ${directCounts.batches} batches, ${direct.disabled} items): ${directSeconds.toFixed(2)} s; peak ${directPeak}`,
      );
      console.log(
        `  service, first sync (creates everything): ${first.seconds.toFixed(2)} s → ratio to the emulator alone ${(first.seconds / directSeconds).toFixed(2)}; peak ${first.peak}`,
      );
      console.log(
        `  service, next sync (nothing changed): ${second.seconds.toFixed(2)} s → ratio ${(second.seconds / directSeconds).toFixed(2)}; peak ${second.peak}`,
      );
      if (
        firstCounts.lists !== pages ||
        firstCounts.other !== 0 ||
        rows.rows[0].mailboxes !== expected
      ) {
        console.error('  FAILED: unexpected request counts or mailboxes');
        process.exitCode = 1;
      }
      await app.close();
    },
  );
}

async function timed(work) {
  const memory = memorySampler();
  const started = performance.now();
  const result = await work();
  if (result.synced !== 1) throw new Error(`sync outcome ${JSON.stringify(result)}`);
  return { seconds: (performance.now() - started) / 1000, peak: memory.stop() };
}

/** What the sync asks Graph, straight to the emulator: the baseline each sync is compared with. */
async function emulatorAlone(emulator) {
  const { SANDBOX_APP } = await import('../../dist/sandbox/default-seed.js');
  const { Agent, fetch } = await import('undici');
  const agent = new Agent({ connect: { ca: emulator.caCertPem }, connections: 8 });
  const tokenRes = await fetch(`${emulator.baseUrl}/${emulator.tenantId}/oauth2/v2.0/token`, {
    method: 'POST',
    dispatcher: agent,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: SANDBOX_APP.clientId,
      client_secret: SANDBOX_APP.clientSecret,
      scope: 'https://graph.microsoft.com/.default',
    }).toString(),
  });
  const { access_token: token } = await tokenRes.json();
  const get = async (url) =>
    (await fetch(url, { dispatcher: agent, headers: { authorization: `Bearer ${token}` } })).json();
  let page = await get(`${emulator.baseUrl}/v1.0/users?$select=${SELECT}&$top=999`);
  let disabled = 0;
  for (;;) {
    const ids = page.value.filter((u) => u.accountEnabled === false && u.mail).map((u) => u.id);
    disabled += ids.length;
    await batches(emulator, agent, token, ids, fetch);
    if (!page['@odata.nextLink']) break;
    page = await get(page['@odata.nextLink']);
  }
  await agent.close();
  return { disabled };
}

async function batches(emulator, agent, token, ids, fetch) {
  const chunks = [];
  for (let i = 0; i < ids.length; i += 20) chunks.push(ids.slice(i, i + 20));
  let next = 0;
  const one = async () => {
    while (next < chunks.length) {
      const chunk = chunks[next++];
      const res = await fetch(`${emulator.baseUrl}/v1.0/$batch`, {
        method: 'POST',
        dispatcher: agent,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          requests: chunk.map((id, i) => ({
            id: String(i),
            method: 'GET',
            url: `/users/${id}/mailboxSettings?$select=userPurpose`,
          })),
        }),
      });
      await res.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: 4 }, one));
}

async function seedOrganization(databaseUrl, tenantId) {
  const id = randomUUID();
  await sql(databaseUrl, `INSERT INTO workspace (id, updated_at) VALUES ('ws-bench', now())`);
  await sql(
    databaseUrl,
    `INSERT INTO organization (id, workspace_id, tenant_id, connected_by_user_id, granted_at, next_sync_at, updated_at)
     VALUES ($1, 'ws-bench', $2, 'bench', now() - interval '1 hour', now() - interval '1 second', now())`,
    [id, tenantId],
  );
  return id;
}
