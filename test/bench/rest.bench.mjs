// REST hot reads: GET /v1/mailboxes (M mailboxes × 5 identities) and GET /v1/messages/:id at
// concurrency 32 against the service in its own process, and against a baseline in its own
// process: the same SQL the route runs (bearer check, workspace, the rows) with raw `pg` behind a
// bare Node HTTP server. Ratio = service throughput / baseline throughput (target ≥ 0.58,
// Prisma's published overhead); p99 of both.
// Run after the build: node test/bench/rest.bench.mjs [requests=4000|800 (×4 for messages/:id)] [mailboxes=50]
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import {
  arg,
  benchRecord,
  closedLoop,
  emit,
  listenService,
  round,
  runRole,
  serveRole,
  spawnRole,
  sql,
  withScratch,
} from './support.mjs';

const REQUESTS = arg(0, 4000, 800);
const MAILBOXES = arg(1, 50, 50);
const IDENTITIES = 5;
const MESSAGES = 200;
const CONCURRENCY = 32;
const POOL = 20;

await runRole({ service: serviceRole, baseline: baselineRole }, main);

function serviceRole() {
  let app;
  serveRole(
    async ({ databaseUrl }) => {
      const started = await listenService(databaseUrl, {
        DATABASE_POOL_SIZE: String(POOL),
        RATE_LIMIT_ENABLED: 'false',
      });
      app = started.app;
      const { AppJwtSecret } = await import('../../dist/common/auth/app-jwt-secret.js');
      const { issueSandboxToken } = await import('../../dist/common/auth/sandbox-token.js');
      const { token } = await issueSandboxToken(started.config, app.get(AppJwtSecret).key(), {
        userId: 'bench-user',
        workspaceId: 'ws-bench',
      });
      return { url: started.url, token };
    },
    {},
    () => app?.close(),
  );
}

/** The same SQL as the routes (workspace check, then the rows) with raw pg, bare http. */
function baselineRole() {
  let server;
  let pool;
  serveRole(
    async ({ databaseUrl }) => {
      const { default: pg } = await import('pg');
      pool = new pg.Pool({ connectionString: databaseUrl, max: POOL });
      const workspaceOk = async (id) =>
        (await pool.query(`SELECT id, status::text FROM workspace WHERE id = $1 LIMIT 1`, [id]))
          .rows[0]?.status === 'active';
      const routes = {
        async mailboxes() {
          const mailboxes = (
            await pool.query(
              `SELECT * FROM mailbox WHERE workspace_id = $1 AND disconnected_at IS NULL
                ORDER BY created_at, id LIMIT $2`,
              ['ws-bench', 51],
            )
          ).rows;
          const ids = mailboxes.map((m) => m.id);
          const [identities, scans] = await Promise.all([
            pool.query(`SELECT * FROM identity WHERE mailbox_id = ANY($1) ORDER BY type, email`, [
              ids,
            ]),
            pool.query(`SELECT * FROM identity_scan WHERE mailbox_id = ANY($1)`, [ids]),
          ]);
          const byMailbox = Map.groupBy(identities.rows, (i) => i.mailbox_id);
          const scanOf = new Map(scans.rows.map((s) => [s.mailbox_id, s]));
          return {
            items: mailboxes.slice(0, 50).map((m) => ({
              ...m,
              scan: scanOf.get(m.id) ?? null,
              identities: byMailbox.get(m.id) ?? [],
            })),
            nextCursor: null,
          };
        },
        async message(id) {
          return (
            await pool.query(
              `SELECT * FROM outbound_message WHERE id = $1 AND workspace_id = $2 LIMIT 1`,
              [id, 'ws-bench'],
            )
          ).rows[0];
        },
      };
      server = createServer(async (req, res) => {
        try {
          if (!(await workspaceOk('ws-bench'))) return res.writeHead(403).end();
          const body = req.url.startsWith('/v1/mailboxes')
            ? await routes.mailboxes()
            : await routes.message(req.url.split('/')[3]);
          const json = JSON.stringify(body);
          res.writeHead(200, { 'content-type': 'application/json' }).end(json);
        } catch (error) {
          res.writeHead(500).end(String(error));
        }
      });
      await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
      return { url: `http://127.0.0.1:${server.address().port}` };
    },
    {},
    async () => {
      await new Promise((r) => server?.close(r));
      await pool?.end();
    },
  );
}

async function main() {
  await withScratch(async (db, children) => {
    const service = await spawnRole(import.meta.url, 'service', { databaseUrl: db.url });
    children.push(service);
    const { messageIds } = await seed(db.url);
    const baseline = await spawnRole(import.meta.url, 'baseline', { databaseUrl: db.url });
    children.push(baseline);
    const { Agent, request } = await import('undici');
    const agent = new Agent({ connections: CONCURRENCY });
    const headers = { authorization: `Bearer ${service.info.token}` };
    const routes = [
      ['GET /v1/mailboxes', REQUESTS, () => `/v1/mailboxes?limit=${MAILBOXES}`],
      [
        'GET /v1/messages/:id',
        REQUESTS * 4,
        (i) => `/v1/messages/${messageIds[i % messageIds.length]}`,
      ],
    ];
    for (const [name, count, path] of routes) {
      const run = async (base, count) =>
        closedLoop(count, CONCURRENCY, async (i) => {
          const res = await request(`${base}${path(i)}`, { headers, dispatcher: agent });
          await res.body.dump();
          if (res.statusCode !== 200) throw new Error(`${name} answered ${res.statusCode}`);
        });
      // Warm-up of each (connections, JIT, plans), not measured; then the baseline, the
      // service, and the baseline again (its better run counts, so noise favours the baseline).
      await run(baseline.info.url, 300);
      await run(service.info.url, 300);
      const bare1 = await run(baseline.info.url, count);
      await service.call('mark');
      const measured = await run(service.info.url, count);
      const metrics = await service.call('metrics');
      const bare2 = await run(baseline.info.url, count);
      const bare = bare1.seconds < bare2.seconds ? bare1 : bare2;
      console.log(
        `${name}: service ${measured.rate.toFixed(0)}/s (p99 ${measured.p99.toFixed(1)} ms), raw pg baseline ${bare.rate.toFixed(0)}/s (p99 ${bare.p99.toFixed(1)} ms), concurrency ${CONCURRENCY}`,
      );
      emit(
        benchRecord({
          name,
          items: count,
          seconds: measured.seconds,
          idealSeconds: bare.seconds,
          ideal: `the same SQL with raw pg behind a bare Node http server (pool ${POOL}), concurrency ${CONCURRENCY}`,
          service: metrics,
          target: { ratio: 0.58 },
          extra: {
            requests_per_s: round(measured.rate, 0),
            baseline_requests_per_s: round(bare.rate, 0),
            p50_ms: round(measured.p50, 2),
            p99_ms: round(measured.p99, 2),
            baseline_p99_ms: round(bare.p99, 2),
          },
        }),
      );
    }
    await agent.close();
  });
}

async function seed(databaseUrl) {
  const profileId = randomUUID();
  await sql(databaseUrl, `INSERT INTO workspace (id, updated_at) VALUES ('ws-bench', now())`);
  await sql(
    databaseUrl,
    `INSERT INTO sender_profile (id, workspace_id, name, from_name, updated_at) VALUES ($1, 'ws-bench', 'Bench', 'Bench Team', now())`,
    [profileId],
  );
  const ids = Array.from({ length: MAILBOXES }, () => randomUUID());
  await sql(
    databaseUrl,
    `INSERT INTO mailbox (id, workspace_id, connection_type, tenant_id, ms_user_id, email, display_name, updated_at)
     SELECT id, 'ws-bench', 'delegated', 'tenant-bench', 'user-' || n, 'user-' || n || '@contoso.com', 'User ' || n, now()
       FROM unnest($1::text[]) WITH ORDINALITY AS x(id, n)`,
    [ids],
  );
  await sql(
    databaseUrl,
    `INSERT INTO identity (id, mailbox_id, workspace_id, email, display_name, type, source, sender_profile_id, updated_at)
     SELECT gen_random_uuid()::text, m.id, 'ws-bench', 'id-' || k || '-' || m.email, 'Identity ' || k,
            (CASE WHEN k = 1 THEN 'primary' ELSE 'alias' END)::"IdentityType", 'discovered',
            CASE WHEN k = 1 THEN $1 END, now()
       FROM mailbox m CROSS JOIN generate_series(1, $2::int) AS k`,
    [profileId, IDENTITIES],
  );
  const messages = await sql(
    databaseUrl,
    `INSERT INTO outbound_message (id, workspace_id, sender_profile_id, to_recipients, recipient_count, subject, text_body, request_hash, marker, updated_at)
     SELECT gen_random_uuid()::text, 'ws-bench', $1, jsonb_build_array(jsonb_build_object('email', 'lead-' || i || '@example.com')), 1, 'bench ' || i, 'Hello there', md5(i::text), gen_random_uuid()::text, now()
       FROM generate_series(1, $2::int) AS i
     RETURNING id`,
    [profileId, MESSAGES],
  );
  return { messageIds: messages.rows.map((r) => r.id) };
}
