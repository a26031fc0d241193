import { readFileSync } from 'node:fs';
import { parseKeyRing } from '../crypto/key-ring.js';
import { AppConfig } from './app-config.js';
import { bearerProblems } from './bearer-settings.js';
import { envSchema, type RawEnv } from './env.schema.js';
import { buildConsole, consoleProblems } from './console-settings.js';
import { buildEmailSetupPage, frontendUrlsFor } from './email-setup-page-settings.js';
import { buildAiLimits, buildInbound, inboundProblems } from './inbound-settings.js';
import { ConfigError, type ConfigProblem } from './problems.js';
import { decideSandbox } from './sandbox-mode.js';

export { ConfigError, type ConfigProblem } from './problems.js';

/** Reads and validates the environment. Throws ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({
        variable: String(issue.path[0] ?? 'environment'),
        message: issue.message,
      })),
    );
  }
  const raw = parsed.data;
  const { sandbox, problems } = decideSandbox(raw);
  problems.push(
    ...crossFieldProblems(raw),
    ...bearerProblems(raw, sandbox),
    ...inboundProblems(raw),
    ...consoleProblems(raw),
  );
  const keys = parseKeyRing(raw.TOKEN_ENCRYPTION_KEYS, raw.TOKEN_ENCRYPTION_ACTIVE_KEY);
  problems.push(...keys.problems);
  if (!keys.ring && keys.problems.length === 0 && !sandbox && raw.NODE_ENV !== 'test') {
    problems.push({ variable: 'TOKEN_ENCRYPTION_KEYS', message: missingKeysMessage(raw) });
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return build(raw, sandbox, keys.ring);
}

function missingKeysMessage(raw: RawEnv): string {
  const when =
    raw.NODE_ENV === 'production' ? 'in production' : 'when a Microsoft app is configured';
  return `is required ${when} (id:base64 32-byte key)`;
}

function crossFieldProblems(raw: RawEnv): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (raw.MICROSOFT_EXTRA_CA_FILE && !isReadablePem(raw.MICROSOFT_EXTRA_CA_FILE)) {
    problems.push({
      variable: 'MICROSOFT_EXTRA_CA_FILE',
      message: 'must name a readable PEM certificate file',
    });
  }
  if (raw.OUTBOUND_TEST_CRASH !== 'none' && raw.NODE_ENV !== 'test') {
    problems.push({
      variable: 'OUTBOUND_TEST_CRASH',
      message: 'is a kill-test hook and is accepted only with NODE_ENV=test',
    });
  }
  if (raw.AI_PROVIDER === 'openai' && (!raw.AI_BASE_URL || !raw.AI_MODEL)) {
    problems.push({
      variable: raw.AI_BASE_URL ? 'AI_MODEL' : 'AI_BASE_URL',
      message: 'is required when AI_PROVIDER=openai',
    });
  }
  if (raw.NODE_ENV === 'production' && !raw.PUBLIC_URL) {
    problems.push({ variable: 'PUBLIC_URL', message: 'is required in production' });
  }
  return problems;
}

function isReadablePem(path: string): boolean {
  try {
    return readFileSync(path, 'utf8').includes('-----BEGIN CERTIFICATE-----');
  } catch {
    return false;
  }
}

function build(raw: RawEnv, sandbox: boolean, ring: AppConfig['vault']['ring']): AppConfig {
  const publicUrl = (raw.PUBLIC_URL ?? `http://localhost:${raw.PORT}`).replace(/\/+$/, '');
  const emailSetupPage = buildEmailSetupPage(raw.EMAIL_SETUP_PAGE_ENABLED, sandbox);
  return new AppConfig({
    env: raw.NODE_ENV,
    port: raw.PORT,
    logLevel: raw.LOG_LEVEL,
    sandbox,
    sandboxPort: raw.SANDBOX_PORT,
    dataDir: raw.DATA_DIR,
    publicUrl,
    frontendUrls: frontendUrlsFor(raw.FRONTEND_URL, publicUrl, emailSetupPage, sandbox),
    emailSetupPage,
    database: {
      url: raw.DATABASE_URL,
      poolSize: raw.DATABASE_POOL_SIZE,
      embeddedPort: raw.EMBEDDED_POSTGRES_PORT,
      migrateOnStart: raw.MIGRATE_ON_START,
    },
    http: { bodyLimit: raw.HTTP_BODY_LIMIT },
    rateLimit: {
      enabled: raw.RATE_LIMIT_ENABLED,
      perMinute: raw.RATE_LIMIT_PER_MINUTE,
      perSecond: raw.RATE_LIMIT_PER_SECOND,
    },
    outbound: {
      dispatchIntervalMs: raw.OUTBOUND_DISPATCH_INTERVAL_MS,
      concurrency: raw.OUTBOUND_CONCURRENCY,
      maxAttempts: raw.OUTBOUND_MAX_ATTEMPTS,
      maxRecipients: raw.OUTBOUND_MAX_RECIPIENTS,
      mailboxMessagesPerWindow: raw.OUTBOUND_MAILBOX_MESSAGES_PER_WINDOW,
      mailboxWindowMs: raw.OUTBOUND_MAILBOX_WINDOW_MS,
      mailboxWindowMarginMs: raw.OUTBOUND_MAILBOX_WINDOW_MARGIN_MS,
      mailboxRecipientsPerDay: raw.OUTBOUND_MAILBOX_RECIPIENTS_PER_DAY,
      sendLeaseMs: raw.OUTBOUND_SEND_LEASE_MS,
      sentItemsSettleMs: raw.OUTBOUND_SENT_ITEMS_SETTLE_MS,
      maxWaitMs: raw.OUTBOUND_MAX_WAIT_MS,
      sentDetails: {
        intervalMs: raw.OUTBOUND_SENT_DETAILS_INTERVAL_MS,
        retryMs: raw.OUTBOUND_SENT_DETAILS_RETRY_MS,
        maxAttempts: raw.OUTBOUND_SENT_DETAILS_MAX_ATTEMPTS,
        maxAgeMs: raw.OUTBOUND_SENT_DETAILS_MAX_AGE_MS,
      },
      testCrash: raw.OUTBOUND_TEST_CRASH,
    },
    jobs: {
      enabled: raw.JOBS_ENABLED,
      outboxIntervalMs: raw.OUTBOX_RELAY_INTERVAL_MS,
      outboxBatchSize: raw.OUTBOX_BATCH_SIZE,
      outboxMaxAttempts: raw.OUTBOX_MAX_ATTEMPTS,
      tokenRefresh: { concurrency: raw.TOKEN_REFRESH_CONCURRENCY },
      identityRescanHours: raw.IDENTITY_RESCAN_HOURS,
      identityScanConcurrency: raw.IDENTITY_SCAN_CONCURRENCY,
    },
    organizations: {
      syncHours: raw.ORG_SYNC_HOURS,
      consentLinkHours: raw.ADMIN_CONSENT_ATTEMPT_HOURS,
    },
    vault: { ring },
    microsoft: {
      clientId: raw.MICROSOFT_CLIENT_ID,
      clientSecret: raw.MICROSOFT_CLIENT_SECRET,
      authorityHost: raw.MICROSOFT_AUTHORITY_HOST.replace(/\/+$/, ''),
      graphBaseUrl: raw.MICROSOFT_GRAPH_BASE_URL.replace(/\/+$/, ''),
      tenant: raw.MICROSOFT_TENANT,
      extraCaFile: raw.MICROSOFT_EXTRA_CA_FILE,
      caPem: raw.MICROSOFT_EXTRA_CA_FILE
        ? readFileSync(raw.MICROSOFT_EXTRA_CA_FILE, 'utf8')
        : undefined,
    },
    appJwt: {
      secret: raw.APP_JWT_SECRET,
      jwksUrl: raw.APP_JWKS_URL,
      issuer: raw.APP_JWT_ISSUER,
      audience: raw.APP_JWT_AUDIENCE,
      workspaceClaim: raw.APP_JWT_WORKSPACE_CLAIM,
    },
    ai: {
      provider: raw.AI_PROVIDER,
      baseUrl: raw.AI_BASE_URL,
      apiKey: raw.AI_API_KEY,
      model: raw.AI_MODEL,
      ...buildAiLimits(raw),
    },
    inbound: buildInbound(raw),
    console: buildConsole(raw),
  } as AppConfig);
}
