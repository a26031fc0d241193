// Inbound webhook acknowledgement: RATE change notifications/s for SECONDS s (open loop, one
// notification per POST, each a new message) against POST /v1/webhooks/microsoft of the service
// in its own process, and the same load against a bare Node HTTP server (also its own process)
// that answers 202 after reading the body: the ideal in the same run. Reports p50/p99 of both,
// and how many were lost (not answered 202, or not persisted).
// Run after the build: node test/bench/webhook.bench.mjs [rate=200] [seconds=30|8]
import { createHash, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { performance } from 'node:perf_hooks';
import {
  arg,
  benchRecord,
  emit,
  listenService,
  round,
  runRole,
  serveRole,
  spawnRole,
  sql,
  withScratch,
} from './support.mjs';

const RATE = arg(0, 200, 200);
const SECONDS = arg(1, 30, 8);
const SUBSCRIPTIONS = 20;

await runRole({ service: serviceRole, baseline: baselineRole }, main);

function serviceRole() {
  let app;
  serveRole(
    async ({ databaseUrl }) => {
      const started = await listenService(databaseUrl);
      app = started.app;
      return { url: `${started.url}/v1/webhooks/microsoft` };
    },
    {},
    () => app?.close(),
  );
}

function baselineRole() {
  let server;
  serveRole(
    () =>
      new Promise((resolve) => {
        server = createServer((req, res) => {
          req.resume();
          req.on('end', () => res.writeHead(202).end());
        });
        server.listen(0, '127.0.0.1', () =>
          resolve({ url: `http://127.0.0.1:${server.address().port}/v1/webhooks/microsoft` }),
        );
      }),
    {},
    () => new Promise((r) => server?.close(r)),
  );
}

async function main() {
  await withScratch(async (db, children) => {
    const service = await spawnRole(import.meta.url, 'service', { databaseUrl: db.url });
    children.push(service);
    const baseline = await spawnRole(import.meta.url, 'baseline');
    children.push(baseline);
    const subscriptions = await seedSubscriptions(db.url);
    // One second of warm-up each (connections, JIT), not measured.
    await load(baseline.info.url, subscriptions, 'warm', 1);
    const bare = await load(baseline.info.url, subscriptions, 'echo');
    await load(service.info.url, subscriptions, 'warm', 1);
    await service.call('mark');
    const measured = await load(service.info.url, subscriptions, 'svc');
    const metrics = await service.call('metrics');
    const persisted = (
      await sql(
        db.url,
        `SELECT count(*)::int AS n FROM inbound_message WHERE graph_message_id LIKE 'svc-%'`,
      )
    ).rows[0].n;
    const lost = measured.total - persisted + measured.failed;
    console.log(
      `webhook acknowledgement: ${measured.total} notifications at ${RATE}/s — service p50 ${measured.p50.toFixed(1)} ms, p99 ${measured.p99.toFixed(1)} ms; bare server p50 ${bare.p50.toFixed(1)} ms, p99 ${bare.p99.toFixed(1)} ms; persisted ${persisted}, lost ${lost}`,
    );
    if (lost !== 0) {
      console.error(`  FAILED: ${lost} notifications lost`);
      process.exitCode = 1;
    }
    emit(
      benchRecord({
        name: 'webhook acknowledgement',
        items: measured.total,
        seconds: measured.seconds,
        idealSeconds: bare.seconds,
        ideal: `the same open-loop load (${RATE}/s) against a bare Node HTTP server`,
        service: metrics,
        target: { ratio: 0.95, lost: 0 },
        extra: {
          rate_per_s: RATE,
          p50_ms: round(measured.p50, 2),
          p99_ms: round(measured.p99, 2),
          baseline_p50_ms: round(bare.p50, 2),
          baseline_p99_ms: round(bare.p99, 2),
          lost,
        },
      }),
    );
  });
}

async function seedSubscriptions(databaseUrl) {
  const rows = Array.from({ length: SUBSCRIPTIONS }, () => ({
    mailboxId: randomUUID(),
    subscriptionId: randomUUID(),
    clientState: randomUUID(),
  }));
  await sql(databaseUrl, `INSERT INTO workspace (id, updated_at) VALUES ('ws-bench', now())`);
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

/** Open loop: one POST every 1/RATE s for `duration` s, whatever the answers; latency of each. */
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
  return { total, failed, seconds, p50: pct(50), p99: pct(99) };
}
