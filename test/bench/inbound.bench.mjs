// Inbound AI, two measurements in one run:
// 1. Webhook acknowledgements: RATE change notifications/s for SECONDS s (open loop, one
//    notification per POST, each a new message) against POST /v1/webhooks/microsoft, and the same
//    load against a bare Node HTTP echo server; p50/p99 latency of each, and how many were lost
//    (not answered 202, or not persisted).
// 2. Pipeline throughput with the rules provider: M human messages over K full_auto mailboxes
//    (read, loop guard, classify, route, reply in-thread) against the emulator in a worker thread.
// Run after the build: node test/bench/inbound.bench.mjs [rate=200] [seconds=60] [messages=1000] [mailboxes=50]
import { createHash, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { memorySampler, sql, startService, withEmulatorWorker } from './support.mjs';

const RATE = Number(process.argv[2] ?? 200);
const SECONDS = Number(process.argv[3] ?? 60);
const MESSAGES = Number(process.argv[4] ?? 1000);
const MAILBOXES = Number(process.argv[5] ?? 50);
const SUBSCRIPTIONS = 20;
const SCOPES = ['offline_access', 'User.Read', 'Mail.ReadWrite', 'Mail.Send'];

if (isMainThread) await main();
else await runEmulator();

async function runEmulator() {
  const { startM365Emulator } = await import('../../dist/sandbox/emulator.js');
  const { CONTOSO_TENANT_ID, SANDBOX_APP } = await import('../../dist/sandbox/default-seed.js');
  const emulator = await startM365Emulator({
    seed: 'default',
    accessTokenLifetimeSec: 7200,
    graph: { throttle: { mailboxRequestsPerWindow: 1_000_000 } },
  });
  const users = [];
  for (let i = 0; i < workerData.mailboxes; i += 1) {
    const mail = `inbound-${i}@contoso.com`;
    const user = emulator.control.addUser(CONTOSO_TENANT_ID, { displayName: `Inbound ${i}`, mail });
    const messages = [];
    for (let m = i; m < workerData.messages; m += workerData.mailboxes) {
      messages.push(
        emulator.control.graph.injectInbound({
          mailbox: user.id,
          from: { address: `lead-${m}@prospect.example`, name: 'Dana Buyer' },
          subject: `Pricing for ${m} seats`,
          body: 'Hi, could you send a quote and tell me whether a demo is possible next week?',
        }).id,
      );
    }
    users.push({
      id: user.id,
      email: mail,
      messages,
      ...emulator.control.issueUserTokens(user.id, SANDBOX_APP.clientId, SCOPES),
    });
  }
  parentPort.postMessage({ baseUrl: emulator.baseUrl, caCertPem: emulator.caCertPem, users });
  parentPort.on('message', async (message) => {
    if (message === 'replies')
      return parentPort.postMessage(
        emulator.control.graph.sentMail().filter((s) => s.operation === 'send').length,
      );
    await emulator.close();
    process.exit(0);
  });
}

async function main() {
  await withEmulatorWorker(
    import.meta.url,
    { mailboxes: MAILBOXES, messages: MESSAGES },
    async (db, emulator, worker) => {
      const { app, config } = await startService(db.url, emulator, { INBOUND_CONCURRENCY: '16' });
      await app.listen(0, '127.0.0.1');
      const serviceUrl = `${await app.getUrl()}/v1/webhooks/microsoft`.replace(
        '[::1]',
        '127.0.0.1',
      );
      const subscriptions = await seedSubscriptions(db.url);
      const echo = await echoServer();
      // One second of warm-up each (connections, JIT), not measured.
      await load(echo.url, subscriptions, 'warm', 1);
      const bare = await load(echo.url, subscriptions, 'echo');
      await echo.close();
      await load(serviceUrl, subscriptions, 'warm', 1);
      const memory = memorySampler();
      const service = await load(serviceUrl, subscriptions, 'svc');
      const persisted = (
        await sql(
          db.url,
          `SELECT count(*)::int AS n FROM inbound_message WHERE graph_message_id LIKE 'svc-%'`,
        )
      ).rows[0].n;
      report('bare HTTP echo', bare);
      report('POST /v1/webhooks/microsoft', service, persisted);
      console.log(`  peak memory during the webhook load: ${memory.stop()}`);
      await sql(db.url, `DELETE FROM inbound_message`);
      await pipeline(db.url, config, app, emulator, worker);
      await app.close();
    },
  );
}

async function seedSubscriptions(databaseUrl) {
  const rows = Array.from({ length: SUBSCRIPTIONS }, () => ({
    mailboxId: randomUUID(),
    subscriptionId: randomUUID(),
    clientState: randomUUID(),
  }));
  await sql(
    databaseUrl,
    `INSERT INTO inbound_subscription (mailbox_id, workspace_id, mode, since, graph_subscription_id, client_state_hash, updated_at)
     SELECT unnest($1::text[]), 'ws-bench', 'notifications', now(), unnest($2::text[]), unnest($3::text[]), now()`,
    [
      rows.map((r) => r.mailboxId),
      rows.map((r) => r.subscriptionId),
      rows.map((r) => createHash('sha256').update(r.clientState).digest('hex')),
    ],
  );
  return rows;
}

function echoServer() {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(202).end());
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${server.address().port}/v1/webhooks/microsoft`,
        close: () => new Promise((r) => server.close(r)),
      }),
    ),
  );
}

/** Open loop: one POST every 1/RATE s for SECONDS s, whatever the answers; latency of each. */
async function load(url, subscriptions, prefix, duration = SECONDS) {
  const { Agent, request } = await import('undici');
  const agent = new Agent({ connections: 64, keepAliveTimeout: 10_000 });
  const total = Math.round(RATE * duration);
  const latencies = [];
  let failed = 0;
  const started = performance.now();
  const inFlight = [];
  for (let i = 0; i < total; i += 1) {
    const due = started + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const sub = subscriptions[i % subscriptions.length];
    const body = JSON.stringify({
      value: [
        {
          subscriptionId: sub.subscriptionId,
          clientState: sub.clientState,
          changeType: 'created',
          resource: `Users/${sub.mailboxId}/Messages/${prefix}-${i}`,
          resourceData: { '@odata.type': '#Microsoft.Graph.Message', id: `${prefix}-${i}` },
          tenantId: 'bench',
        },
      ],
    });
    const sent = performance.now();
    inFlight.push(
      request(url, {
        method: 'POST',
        dispatcher: agent,
        headers: { 'content-type': 'application/json' },
        body,
      })
        .then(async (res) => {
          await res.body.dump();
          latencies.push(performance.now() - sent);
          if (res.statusCode !== 202) failed += 1;
        })
        .catch(() => {
          failed += 1;
        }),
    );
  }
  await Promise.all(inFlight);
  const seconds = (performance.now() - started) / 1000;
  await agent.close();
  latencies.sort((a, b) => a - b);
  const pct = (p) =>
    latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
  return {
    total,
    failed,
    seconds,
    p50: pct(50),
    p99: pct(99),
    max: latencies[latencies.length - 1],
  };
}

function report(name, r, persisted) {
  const lost = persisted === undefined ? r.failed : r.total - persisted + r.failed;
  console.log(
    `${name}: ${r.total} notifications at ${RATE}/s over ${r.seconds.toFixed(1)} s — p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms, max ${r.max.toFixed(1)} ms; not 202: ${r.failed}${persisted === undefined ? '' : `; persisted ${persisted}; lost ${lost}`}`,
  );
}

async function pipeline(databaseUrl, config, app, emulator, worker) {
  await seedMailboxes(databaseUrl, config, emulator.users);
  const { PipelineService } = await import('../../dist/modules/inbound/pipeline.service.js');
  const service = app.get(PipelineService);
  const memory = memorySampler();
  const started = performance.now();
  let retries = 0;
  for (;;) {
    const result = await service.runOnce(64);
    retries += result.retry;
    if (result.claimed > 0) continue;
    const left = await sql(
      databaseUrl,
      `SELECT count(*)::int AS n FROM inbound_message WHERE stage <> 'done'`,
    );
    if (left.rows[0].n === 0) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const seconds = (performance.now() - started) / 1000;
  const outcome = await sql(
    databaseUrl,
    `SELECT action::text || ':' || coalesce(reason, '') AS action, count(*)::int AS n FROM inbound_message GROUP BY 1 ORDER BY 1`,
  );
  const replies = await new Promise((resolve) => {
    worker.once('message', resolve);
    worker.postMessage('replies');
  });
  console.log(
    `pipeline (rules provider, full_auto): ${MESSAGES} messages over ${MAILBOXES} mailboxes in ${seconds.toFixed(1)} s → ${(MESSAGES / seconds).toFixed(1)} messages/s; outcomes ${outcome.rows.map((r) => `${r.action}=${r.n}`).join(' ')}; replies sent ${replies}`,
  );
  console.log(
    `  each message: GET message, PATCH categories/flag, createReply, send, 2 Sent Items/Drafts lookups; steps retried later (Graph 429 MailboxConcurrency): ${retries}; peak memory: ${memory.stop()}`,
  );
}

async function seedMailboxes(databaseUrl, config, users) {
  const { TokenVault } = await import('../../dist/common/crypto/vault.js');
  const { CONTOSO_TENANT_ID } = await import('../../dist/sandbox/default-seed.js');
  const vault = new TokenVault(config);
  const rows = users.map((u) => ({ ...u, mailboxId: randomUUID() }));
  const ids = rows.map((u) => u.mailboxId);
  const seal = (u, value, purpose) =>
    vault.encrypt(value, { table: 'mailbox_credential', rowId: u.mailboxId, purpose });
  await sql(
    databaseUrl,
    `INSERT INTO workspace (id, updated_at) VALUES ('ws-bench', now()) ON CONFLICT DO NOTHING`,
  );
  await sql(
    databaseUrl,
    `INSERT INTO mailbox (id, workspace_id, connection_type, tenant_id, ms_user_id, email, inbound_enabled, inbound_behavior, inbound_purpose, updated_at)
     SELECT unnest($1::text[]), 'ws-bench', 'delegated', $2, unnest($3::text[]), unnest($4::text[]), true, 'full_auto', 'new_business', now()`,
    [ids, CONTOSO_TENANT_ID, rows.map((u) => u.id), rows.map((u) => u.email)],
  );
  await sql(
    databaseUrl,
    `INSERT INTO mailbox_credential (mailbox_id, refresh_token, access_token, access_token_expires_at, scopes, updated_at)
     SELECT unnest($1::text[]), unnest($2::text[]), unnest($3::text[]), now() + interval '1 hour', $4, now()`,
    [
      ids,
      rows.map((u) => seal(u, u.refreshToken, 'ms_refresh_token')),
      rows.map((u) => seal(u, u.accessToken, 'ms_access_token')),
      SCOPES.join(' '),
    ],
  );
  await sql(
    databaseUrl,
    `INSERT INTO identity (id, mailbox_id, workspace_id, email, type, source, updated_at)
     SELECT gen_random_uuid()::text, unnest($1::text[]), 'ws-bench', unnest($2::text[]), 'primary', 'discovered', now()`,
    [ids, rows.map((u) => u.email)],
  );
  const messages = rows.flatMap((u) => u.messages.map((m) => [u.mailboxId, m]));
  await sql(
    databaseUrl,
    `INSERT INTO inbound_message (id, workspace_id, mailbox_id, graph_message_id, source, updated_at)
     SELECT gen_random_uuid()::text, 'ws-bench', unnest($1::text[]), unnest($2::text[]), 'notification', now()`,
    [messages.map((m) => m[0]), messages.map((m) => m[1])],
  );
}
