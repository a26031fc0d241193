// Inbound pipeline throughput with the rules provider: M human messages over K full_auto
// mailboxes (read, loop guard, classify, route, reply in-thread) against the emulator in a worker
// thread, the service in this process (jobs off; the bench drives the pipeline). Prints the time,
// the outcomes and the replies sent; records nothing in bench.json (no separate service process
// to measure apart). Webhook acknowledgements are webhook.bench.mjs.
// Run after the build: node test/bench/inbound.bench.mjs [messages=1000|200] [mailboxes=50|10]
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import {
  arg,
  ask,
  memorySampler,
  SCOPES,
  sql,
  startService,
  withEmulatorWorker,
} from './support.mjs';

const MESSAGES = arg(0, 1000, 200);
const MAILBOXES = arg(1, 50, 10);

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
      await pipeline(db.url, config, app, emulator, worker);
      await app.close();
    },
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
  const replies = await ask(worker, 'replies');
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
