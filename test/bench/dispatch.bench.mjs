// Dispatch: M queued messages over K mailboxes, emulator latency L ms. Side by side in one run:
// the emulator's sendMail rate at the dispatcher's concurrency (no service in between), and the
// service's dispatch. The ideal time: every mailbox sends its 30 per window at the emulator's
// rate, then waits for the next window. Prints the rates, ideal/actual time ratio, peak memory.
// Run after the build: node test/bench/dispatch.bench.mjs [messages=10000] [mailboxes=200] [latencyMs=20]
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

const MESSAGES = Number(process.argv[2] ?? 10_000);
const MAILBOXES = Number(process.argv[3] ?? 200);
const LATENCY_MS = Number(process.argv[4] ?? 20);
const SCOPES = ['offline_access', 'User.Read', 'Mail.ReadWrite', 'Mail.Send'];
const PROBES = 8;

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
  // The service's mailboxes, then PROBES more for the direct phase (one in flight each, as
  // Graph allows at most 4 concurrent requests per mailbox).
  for (let i = 0; i < workerData.mailboxes + PROBES; i += 1) {
    const mail = `sender-${i}@contoso.com`;
    const user = emulator.control.addUser(CONTOSO_TENANT_ID, { displayName: `Sender ${i}`, mail });
    users.push({
      id: user.id,
      email: mail,
      ...emulator.control.issueUserTokens(user.id, SANDBOX_APP.clientId, SCOPES),
    });
  }
  emulator.store.faults.globalLatencyMs = workerData.latencyMs;
  parentPort.postMessage({ baseUrl: emulator.baseUrl, caCertPem: emulator.caCertPem, users });
  parentPort.on('message', async (message) => {
    if (message === 'mark') return parentPort.postMessage(emulator.control.clearLogs());
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
      const { app, config } = await startService(db.url, emulator, { OUTBOUND_MAX_ATTEMPTS: '50' });
      await seed(db.url, config, emulator.users);
      const concurrency = config.outbound.concurrency;
      const { Agent, fetch } = await import('undici');
      const agent = new Agent({ connect: { ca: emulator.caCertPem }, connections: concurrency });
      const probes = Math.min(2000, MESSAGES);
      const emulatorRate = await directRate(probes, concurrency, async (i) => {
        const res = await fetch(`${emulator.baseUrl}/v1.0/me/sendMail`, {
          method: 'POST',
          dispatcher: agent,
          headers: {
            authorization: `Bearer ${direct[i % direct.length].accessToken}`,
            'content-type': 'application/json',
          },
          body: JSON.stringify({
            message: {
              subject: `probe ${i}`,
              body: { contentType: 'Text', content: 'Hello' },
              toRecipients: [{ emailAddress: { address: `lead-${i}@example.com` } }],
            },
          }),
        });
        await res.arrayBuffer();
        if (res.status !== 202) throw new Error(`probe sendMail answered ${res.status}`);
      });
      await agent.close();
      await ask(worker, 'mark');
      const { DispatchService } = await import('../../dist/modules/outbound/dispatch.service.js');
      const dispatch = app.get(DispatchService);
      const memory = memorySampler();
      const started = performance.now();
      for (;;) {
        const result = await dispatch.dispatchOnce();
        if (result.claimed === 0 || result.deferred === result.claimed) {
          const left = await sql(
            db.url,
            `SELECT count(*)::int AS n FROM outbound_message WHERE status IN ('queued','sending')`,
          );
          if (left.rows[0].n === 0) break;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      const seconds = (performance.now() - started) / 1000;
      const peak = memory.stop();
      const sent = (
        await sql(db.url, `SELECT count(*)::int AS n FROM outbound_message WHERE status = 'sent'`)
      ).rows[0].n;
      const perMailbox = config.outbound.mailboxMessagesPerWindow;
      const windowS =
        (config.outbound.mailboxWindowMs + config.outbound.mailboxWindowMarginMs) / 1000;
      const limitsRate = (MAILBOXES * perMailbox) / windowS;
      const firstWindow = Math.min(MESSAGES, MAILBOXES * perMailbox);
      const idealSeconds =
        firstWindow / emulatorRate +
        Math.max(0, Math.ceil(MESSAGES / (MAILBOXES * perMailbox)) - 1) * windowS;
      const rate = sent / seconds;
      console.log(
        `dispatch: ${sent}/${MESSAGES} messages sent in ${seconds.toFixed(1)} s over ${MAILBOXES} mailboxes, emulator latency ${LATENCY_MS} ms, concurrency ${concurrency}`,
      );
      console.log(
        `  emulator sendMail alone at concurrency ${concurrency}: ${emulatorRate.toFixed(0)}/s; Exchange limits allow ${limitsRate.toFixed(0)}/s (${perMailbox} per ${windowS} s counted window per mailbox)`,
      );
      console.log(
        `  service: ${rate.toFixed(1)} messages/s; the ideal (limits and latency: each full window at the emulator's rate) takes ${idealSeconds.toFixed(1)} s → ratio ${(idealSeconds / seconds).toFixed(2)}`,
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
  const profileId = randomUUID();
  await sql(databaseUrl, `INSERT INTO workspace (id, updated_at) VALUES ('ws-bench', now())`);
  await sql(
    databaseUrl,
    `INSERT INTO sender_profile (id, workspace_id, name, from_name, updated_at) VALUES ($1, 'ws-bench', 'Bench', 'Bench Team', now())`,
    [profileId],
  );
  const chunk = users.map((u) => ({ ...u, mailboxId: randomUUID() }));
  const ids = chunk.map((u) => u.mailboxId);
  const seal = (u, value, purpose) =>
    vault.encrypt(value, { table: 'mailbox_credential', rowId: u.mailboxId, purpose });
  await sql(
    databaseUrl,
    `INSERT INTO mailbox (id, workspace_id, connection_type, tenant_id, ms_user_id, email, updated_at)
     SELECT unnest($1::text[]), 'ws-bench', 'delegated', $2, unnest($3::text[]), unnest($4::text[]), now()`,
    [ids, CONTOSO_TENANT_ID, chunk.map((u) => u.id), chunk.map((u) => u.email)],
  );
  await sql(
    databaseUrl,
    `INSERT INTO mailbox_credential (mailbox_id, refresh_token, access_token, access_token_expires_at, scopes, updated_at)
     SELECT unnest($1::text[]), unnest($2::text[]), unnest($3::text[]), now() + interval '1 hour', $4, now()`,
    [
      ids,
      chunk.map((u) => seal(u, u.refreshToken, 'ms_refresh_token')),
      chunk.map((u) => seal(u, u.accessToken, 'ms_access_token')),
      SCOPES.join(' '),
    ],
  );
  await sql(
    databaseUrl,
    `INSERT INTO identity (id, mailbox_id, workspace_id, email, type, source, sender_profile_id, updated_at)
     SELECT gen_random_uuid()::text, unnest($1::text[]), 'ws-bench', unnest($2::text[]), 'primary', 'discovered', $3, now()`,
    [ids, chunk.map((u) => u.email), profileId],
  );
  await sql(
    databaseUrl,
    `INSERT INTO outbound_message (id, workspace_id, sender_profile_id, to_recipients, recipient_count, subject, text_body, request_hash, marker, updated_at)
     SELECT gen_random_uuid()::text, 'ws-bench', $1, jsonb_build_array(jsonb_build_object('email', 'lead-' || i || '@example.com')), 1, 'bench ' || i, 'Hello', md5(i::text), gen_random_uuid()::text, now()
       FROM generate_series(1, $2::int) AS i`,
    [profileId, MESSAGES],
  );
}
