// Dispatch: M queued messages over K mailboxes, emulator latency L ms. Three processes
// (emulator, service, this one). The ideal is limit-bound: every mailbox sends its
// OUTBOUND_MAILBOX_MESSAGES_PER_WINDOW (30) per counted window (window + margin) at the rate the
// emulator's sendMail allows at the dispatcher's concurrency (measured first, same run, no
// service); then waits for the next window. Also reports the most sends the emulator saw from
// one mailbox in any sliding window (must never exceed the limit).
// Run after the build: node test/bench/dispatch.bench.mjs [messages=10000|900] [mailboxes=200|20] [latencyMs=20]
// --quick also shortens the window to 5 s (OUTBOUND_MAILBOX_WINDOW_MS) so two windows fit.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import {
  arg,
  benchRecord,
  emit,
  emulatorLoop,
  measurePhase,
  QUICK,
  runRole,
  SCOPES,
  serveEmulator,
  serveRole,
  sql,
  startService,
  withEmulatorAndService,
} from './support.mjs';

const MESSAGES = arg(0, 10_000, 900);
const MAILBOXES = arg(1, 200, 20);
const LATENCY_MS = arg(2, 20, 20);
const PROBES = 8;
const WINDOW_ENV = QUICK ? { OUTBOUND_MAILBOX_WINDOW_MS: '5000' } : {};

await runRole({ emulator: emulatorRole, service: serviceRole }, main);

function emulatorRole() {
  serveEmulator(
    {
      seed: 'default',
      accessTokenLifetimeSec: 7200,
      graph: { throttle: { mailboxRequestsPerWindow: 1_000_000 } },
    },
    (emulator, { CONTOSO_TENANT_ID, SANDBOX_APP }) => {
      const users = [];
      // The service's mailboxes, then PROBES more for the direct phase.
      for (let i = 0; i < MAILBOXES + PROBES; i += 1) {
        const mail = `sender-${i}@contoso.com`;
        const user = emulator.control.addUser(CONTOSO_TENANT_ID, {
          displayName: `Sender ${i}`,
          mail,
        });
        users.push({
          id: user.id,
          email: mail,
          ...emulator.control.issueUserTokens(user.id, SANDBOX_APP.clientId, SCOPES),
        });
      }
      emulator.store.faults.globalLatencyMs = LATENCY_MS;
      return { users };
    },
    {
      clear: (emulator) => {
        emulator.control.clearLogs();
        return { since: new Date().toISOString() };
      },
      /** Requests since `since`, and the most sends of one mailbox within any `windowMs`. */
      count: (emulator, { since, windowMs }) => {
        const sent = emulator.control.graph.sentMail({ since: new Date(since) });
        const byMailbox = new Map();
        for (const s of sent) {
          const times = byMailbox.get(s.mailboxId) ?? [];
          times.push(Date.parse(s.at));
          byMailbox.set(s.mailboxId, times);
        }
        let maxInWindow = 0;
        for (const times of byMailbox.values()) {
          times.sort((a, b) => a - b);
          let start = 0;
          for (let end = 0; end < times.length; end += 1) {
            while (times[end] - times[start] >= windowMs) start += 1;
            maxInWindow = Math.max(maxInWindow, end - start + 1);
          }
        }
        return {
          sent: sent.length,
          maxInWindow,
          graph: emulator.control.requestLog({ path: '/v1.0/' }).length,
          tokens: emulator.control.tokenLog({}).length,
        };
      },
    },
  );
}

function serviceRole() {
  let app;
  let databaseUrl;
  serveRole(
    async (args) => {
      databaseUrl = args.databaseUrl;
      const started = await startService(databaseUrl, args.emulator, {
        OUTBOUND_MAX_ATTEMPTS: '50',
        ...WINDOW_ENV,
      });
      app = started.app;
      await seed(databaseUrl, started.config, args.emulator.users);
      const { outbound } = started.config;
      return {
        concurrency: outbound.concurrency,
        perWindow: outbound.mailboxMessagesPerWindow,
        windowMs: outbound.mailboxWindowMs,
        marginMs: outbound.mailboxWindowMarginMs,
      };
    },
    {
      dispatch: async () => {
        const { DispatchService } = await import('../../dist/modules/outbound/dispatch.service.js');
        const dispatch = app.get(DispatchService);
        const started = performance.now();
        let idleWaits = 0;
        for (;;) {
          const result = await dispatch.dispatchOnce();
          if (result.claimed === 0 || result.deferred === result.claimed) {
            const left = await sql(
              databaseUrl,
              `SELECT count(*)::int AS n FROM outbound_message WHERE status IN ('queued','sending')`,
            );
            if (left.rows[0].n === 0) break;
            idleWaits += 1;
            await new Promise((r) => setTimeout(r, 100));
          }
        }
        return { seconds: (performance.now() - started) / 1000, idleWaits };
      },
    },
    () => app?.close(),
  );
}

async function main() {
  await withEmulatorAndService(import.meta.url, MAILBOXES, async (bench) => {
    const { db, emulator, service, endpoint, direct } = bench;
    const { concurrency, perWindow, windowMs, marginMs } = service.info;
    const probes = Math.min(2000, MESSAGES);
    const probe = await emulatorLoop(endpoint, probes, concurrency, (i) => ({
      url: `${endpoint.baseUrl}/v1.0/me/sendMail`,
      init: {
        method: 'POST',
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
      },
      status: 202,
      what: 'probe sendMail',
    }));
    const {
      outcome: { seconds, idleWaits },
      metrics,
      counts,
    } = await measurePhase(emulator, service, 'dispatch', ({ since }) => ({ since, windowMs }));
    const sent = (
      await sql(db.url, `SELECT count(*)::int AS n FROM outbound_message WHERE status = 'sent'`)
    ).rows[0].n;
    const windowS = (windowMs + marginMs) / 1000;
    const firstWindow = Math.min(MESSAGES, MAILBOXES * perWindow);
    const windows = Math.ceil(MESSAGES / (MAILBOXES * perWindow));
    const idealSeconds = firstWindow / probe.rate + Math.max(0, windows - 1) * windowS;
    console.log(
      `dispatch: ${sent}/${MESSAGES} sent in ${seconds.toFixed(1)} s over ${MAILBOXES} mailboxes (ideal ${idealSeconds.toFixed(1)} s: ${windows} windows of ${perWindow} per ${windowS} s per mailbox, emulator sendMail alone ${probe.rate.toFixed(0)}/s at concurrency ${concurrency}); most sends of one mailbox in any ${windowMs / 1000} s: ${counts.maxInWindow}`,
    );
    if (sent !== MESSAGES || counts.sent !== MESSAGES || counts.maxInWindow > perWindow) {
      console.error(
        `  FAILED: sent ${sent} (emulator ${counts.sent}) of ${MESSAGES}; max in a window ${counts.maxInWindow} > ${perWindow}?`,
      );
      process.exitCode = 1;
    }
    emit(
      benchRecord({
        name: 'dispatch',
        items: MESSAGES,
        seconds,
        idealSeconds,
        ideal: `limit-bound: ${perWindow} per ${windowS} s counted window per mailbox, ${MAILBOXES} mailboxes, first window at the emulator's sendMail rate (${probe.rate.toFixed(0)}/s)`,
        service: metrics,
        graphRequests: counts.graph,
        tokenRequests: counts.tokens,
        target: { ratio: 0.9, service_peak_rss_mib: 300, max_sends_per_window: perWindow },
        extra: {
          mailboxes: MAILBOXES,
          max_sends_per_window: counts.maxInWindow,
          limit_per_window: perWindow,
          window_ms: windowMs,
          idle_waits: idleWaits,
        },
      }),
    );
  });
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
