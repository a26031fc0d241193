// Organization sync: a tenant of N users (shared mailboxes, former employees, rooms, equipment and
// accounts without a mailbox mixed in), emulator latency L ms. Three processes (emulator, service,
// this one). The ideal: the same Graph reads made straight against the emulator in the same run
// (client credentials, /users pages of 999, the disabled accounts' mailboxSettings in $batches of
// 20, 4 in flight — no service, no database). Then the service's first sync (creates every
// mailbox and identity) and a second one (steady state), each a record. List calls must be
// ⌈N/999⌉, nothing per user.
// Run after the build: node test/bench/org-sync.bench.mjs [users=10000|2000] [latencyMs=20]
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import {
  arg,
  benchRecord,
  emit,
  measurePhase,
  runRole,
  serveEmulator,
  serveRole,
  spawnRole,
  sql,
  startService,
  withScratch,
} from './support.mjs';

const USERS = arg(0, 10_000, 2000);
const LATENCY_MS = arg(1, 20, 20);
const MIX = {
  sharedEvery: 10,
  disabledEvery: 7,
  noMailboxEvery: 13,
  roomEvery: 50,
  equipmentEvery: 97,
};
const SELECT = 'id,mail,userPrincipalName,displayName,proxyAddresses,accountEnabled,userType';

await runRole({ emulator: emulatorRole, service: serviceRole }, main);

function emulatorRole() {
  serveEmulator(
    { seed: 'default', accessTokenLifetimeSec: 7200 },
    (emulator, { SANDBOX_APP }) => {
      const bulk = emulator.control.seedBulkTenant({ users: USERS, name: 'bench', ...MIX });
      emulator.control.grantAdminConsent(bulk.tenantId, SANDBOX_APP.clientId);
      emulator.store.faults.globalLatencyMs = LATENCY_MS;
      return { tenantId: bulk.tenantId, counts: bulk.counts };
    },
    { count: countRequests },
  );
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

function serviceRole() {
  let app;
  serveRole(
    async ({ databaseUrl, emulator }) => {
      app = (await startService(databaseUrl, emulator)).app;
      return {};
    },
    {
      sync: async () => {
        const { OrganizationSyncJob } =
          await import('../../dist/modules/admin-consent/organization-sync.job.js');
        const started = performance.now();
        const result = await app.get(OrganizationSyncJob).sweep();
        if (result.synced !== 1) throw new Error(`sync outcome ${JSON.stringify(result)}`);
        return { seconds: (performance.now() - started) / 1000 };
      },
    },
    () => app?.close(),
  );
}

async function main() {
  await withScratch(async (db, children) => {
    const emulator = await spawnRole(import.meta.url, 'emulator');
    children.push(emulator);
    const endpoint = emulator.info;
    const service = await spawnRole(import.meta.url, 'service', {
      databaseUrl: db.url,
      emulator: endpoint,
    });
    children.push(service);
    const started = performance.now();
    const direct = await emulatorAlone(endpoint);
    const directSeconds = (performance.now() - started) / 1000;
    const directCounts = await emulator.call('count');
    const organizationId = await seedOrganization(db.url, endpoint.tenantId);
    const phase = async (name) => {
      const { outcome, metrics, counts } = await measurePhase(emulator, service, 'sync');
      return { name, seconds: outcome.seconds, metrics, counts };
    };
    const first = await phase('organization sync (first: creates every mailbox)');
    await sql(db.url, `UPDATE organization SET next_sync_at = now() WHERE id = $1`, [
      organizationId,
    ]);
    const second = await phase('organization sync (steady state)');
    const rows = (
      await sql(
        db.url,
        `SELECT (SELECT count(*)::int FROM mailbox WHERE disconnected_at IS NULL) AS mailboxes,
                (SELECT count(*)::int FROM identity) AS identities`,
      )
    ).rows[0];
    const { counts } = endpoint;
    const expected = counts.user + counts.shared;
    const pages = Math.ceil(USERS / 999);
    console.log(
      `organization sync: ${USERS} users (${expected} with a kept mailbox), ${rows.mailboxes} mailboxes, ${rows.identities} identities; emulator alone ${directSeconds.toFixed(2)} s (${directCounts.lists} lists, ${directCounts.batches} batches, ${direct.disabled} items); first ${first.seconds.toFixed(2)} s, steady ${second.seconds.toFixed(2)} s; list calls ${first.counts.lists} (⌈N/999⌉ = ${pages}), per-user requests ${first.counts.other}`,
    );
    if (first.counts.lists !== pages || first.counts.other !== 0 || rows.mailboxes !== expected) {
      console.error('  FAILED: unexpected request counts or mailboxes');
      process.exitCode = 1;
    }
    for (const p of [first, second]) {
      emit(
        benchRecord({
          name: p.name,
          items: USERS,
          seconds: p.seconds,
          idealSeconds: directSeconds,
          ideal: `the same Graph reads straight at the emulator (${directCounts.lists} list pages, ${directCounts.batches} $batch calls)`,
          service: p.metrics,
          graphRequests: p.counts.lists + p.counts.batches + p.counts.other,
          tokenRequests: p.counts.tokens,
          target: { service_peak_rss_mib: 300 },
          extra: { list_calls: p.counts.lists, per_user_requests: p.counts.other },
        }),
      );
    }
  });
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
