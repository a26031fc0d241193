import { z } from 'zod';
import { consoleEnvShape } from './console-settings.js';
import { emailSetupPageEnvShape } from './email-setup-page-settings.js';
import { inboundEnvShape } from './inbound-settings.js';

const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
    .optional()
    .transform((v) => (v === undefined ? fallback : ['true', '1', 'yes'].includes(v)));

/** A boolean whose absence means something ("decide from the other settings"). */
const optionalBool = z
  .enum(['', 'true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .optional()
  .transform((v) => (v === undefined || v === '' ? undefined : ['true', '1', 'yes'].includes(v)));

const int = (fallback: number, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return fallback;
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `must be an integer from ${min} to ${max}` });
        return z.NEVER;
      }
      return n;
    });

const httpUrl = z.string().refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol), {
  message: 'must be an http(s) URL',
});

const postgresUrl = z.string().refine(
  (v) => {
    if (!URL.canParse(v)) return false;
    const url = new URL(v);
    return ['postgres:', 'postgresql:'].includes(url.protocol) && url.hostname !== '';
  },
  { message: 'must be a postgresql:// URL with a host' },
);

const urlList = z
  .string()
  .transform((v) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  )
  .pipe(z.array(httpUrl).min(1, 'must list at least one URL'));

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

/** Raw environment variables the service reads; every one is documented in .env.example. */
export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: int(3000, 0, 65535),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: optionalString.pipe(postgresUrl.optional()),
  DATABASE_POOL_SIZE: int(10, 1, 200),
  EMBEDDED_POSTGRES_PORT: int(54329, 1, 65535),
  DATA_DIR: z.string().default('.data'),
  MIGRATE_ON_START: bool(true),
  PUBLIC_URL: optionalString.pipe(httpUrl.optional()),
  // Unset: decided with the Email Setup page (email-setup-page-settings.ts).
  FRONTEND_URL: optionalString.pipe(urlList.optional()),
  HTTP_BODY_LIMIT: z
    .string()
    .regex(/^\d+(b|kb|mb)$/i, 'must look like 512kb or 2mb')
    .default('1mb'),
  RATE_LIMIT_ENABLED: bool(true),
  // Capped: the limiter keeps one timestamp per counted request and scans them on a refusal.
  RATE_LIMIT_PER_MINUTE: int(600, 1, 50_000),
  RATE_LIMIT_PER_SECOND: int(50, 1, 5_000),
  JOBS_ENABLED: bool(true),
  OUTBOX_RELAY_INTERVAL_MS: int(2000, 50, 3_600_000),
  OUTBOX_BATCH_SIZE: int(100, 1, 10_000),
  OUTBOX_MAX_ATTEMPTS: int(10, 1, 100),
  TOKEN_REFRESH_CONCURRENCY: int(16, 1, 256),
  IDENTITY_RESCAN_HOURS: int(24, 1, 24 * 30),
  IDENTITY_SCAN_CONCURRENCY: int(8, 1, 256),
  ORG_SYNC_HOURS: int(6, 1, 24 * 7),
  ADMIN_CONSENT_ATTEMPT_HOURS: int(24, 1, 24 * 30),
  OUTBOUND_DISPATCH_INTERVAL_MS: int(1000, 50, 3_600_000),
  OUTBOUND_CONCURRENCY: int(8, 1, 256),
  OUTBOUND_MAX_ATTEMPTS: int(5, 1, 50),
  OUTBOUND_MAX_RECIPIENTS: int(500, 1, 1000),
  OUTBOUND_MAILBOX_MESSAGES_PER_WINDOW: int(30, 1, 100_000),
  OUTBOUND_MAILBOX_WINDOW_MS: int(60_000, 100, 86_400_000),
  OUTBOUND_MAILBOX_WINDOW_MARGIN_MS: int(2_000, 0, 600_000),
  OUTBOUND_MAILBOX_RECIPIENTS_PER_DAY: int(10_000, 1, 1_000_000),
  OUTBOUND_SEND_LEASE_MS: int(120_000, 500, 3_600_000),
  OUTBOUND_SENT_ITEMS_SETTLE_MS: int(120_000, 500, 3_600_000),
  OUTBOUND_MAX_WAIT_MS: int(86_400_000, 60_000, 30 * 86_400_000),
  OUTBOUND_SENT_DETAILS_INTERVAL_MS: int(15_000, 50, 3_600_000),
  OUTBOUND_SENT_DETAILS_RETRY_MS: int(30_000, 50, 3_600_000),
  OUTBOUND_SENT_DETAILS_MAX_ATTEMPTS: int(8, 1, 100),
  OUTBOUND_SENT_DETAILS_MAX_AGE_MS: int(86_400_000, 1_000, 30 * 86_400_000),
  OUTBOUND_TEST_CRASH: z.enum(['none', 'before_send', 'after_send']).default('none'),
  TOKEN_ENCRYPTION_KEYS: optionalString,
  TOKEN_ENCRYPTION_ACTIVE_KEY: optionalString,
  MICROSOFT_CLIENT_ID: optionalString,
  MICROSOFT_CLIENT_SECRET: optionalString,
  MICROSOFT_SANDBOX: optionalBool,
  MICROSOFT_AUTHORITY_HOST: httpUrl.default('https://login.microsoftonline.com'),
  MICROSOFT_GRAPH_BASE_URL: httpUrl.default('https://graph.microsoft.com'),
  MICROSOFT_EXTRA_CA_FILE: optionalString,
  SANDBOX_PORT: int(0, 0, 65535),
  MICROSOFT_TENANT: z
    .string()
    .regex(/^(common|organizations|consumers|[0-9a-f-]{36}|[a-z0-9.-]+\.[a-z]{2,})$/i, {
      message: 'must be common, organizations, consumers, a tenant id or a domain',
    })
    .default('common'),
  APP_JWT_SECRET: optionalString,
  APP_JWKS_URL: optionalString.pipe(httpUrl.optional()),
  APP_JWT_ISSUER: optionalString,
  APP_JWT_AUDIENCE: optionalString,
  APP_JWT_WORKSPACE_CLAIM: z.string().default('wid'),
  AI_PROVIDER: z.enum(['rules', 'openai']).default('rules'),
  AI_BASE_URL: optionalString.pipe(httpUrl.optional()),
  AI_API_KEY: optionalString,
  AI_MODEL: optionalString,
  ...inboundEnvShape,
  ...consoleEnvShape,
  ...emailSetupPageEnvShape,
});

export type RawEnv = z.infer<typeof envSchema>;
