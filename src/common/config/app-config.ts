import { isAbsolute, resolve } from 'node:path';
import type { KeyRing } from '../crypto/key-ring.js';
import type { ConsoleSettings } from './console-settings.js';
import type { EmailSetupPageSettings, SandboxInfo } from './email-setup-page-settings.js';
import type { AiLimits, InboundSettings } from './inbound-settings.js';

export type RuntimeEnv = 'development' | 'production' | 'test';

/**
 * The service's validated configuration. Built once by `loadConfig` (the only reader of
 * process.env) and injected by class.
 */
export class AppConfig {
  readonly env: RuntimeEnv;
  readonly port: number;
  readonly logLevel: string;
  /**
   * Sandbox mode: the built-in Microsoft 365 emulator is used instead of Microsoft.
   * MICROSOFT_SANDBOX=true, or outside production no Microsoft app configured; never in production.
   */
  readonly sandbox: boolean;
  /** Port of the in-process Microsoft 365 emulator in sandbox mode (0: any free port). */
  readonly sandboxPort: number;
  readonly dataDir: string;
  readonly publicUrl: string;
  /** Allowed frontend origins; the first is where users return by default. */
  readonly frontendUrls: string[];
  /** The reference Email Setup page served by the service (sandbox, or EMAIL_SETUP_PAGE_ENABLED). */
  readonly emailSetupPage: EmailSetupPageSettings;
  /** Sandbox mode: the emulator's URLs and accounts, set by the sandbox wiring at start. */
  readonly sandboxInfo?: SandboxInfo;
  readonly database: {
    /** Unset → embedded PostgreSQL under dataDir. */
    url?: string;
    poolSize: number;
    /** Port of the embedded PostgreSQL started when url is unset. */
    embeddedPort: number;
    migrateOnStart: boolean;
  };
  readonly http: { bodyLimit: string };
  /**
   * Requests per workspace (of the verified bearer token) on the authenticated REST API, counted
   * in this process: with N instances a workspace may make up to N times as many.
   */
  readonly rateLimit: { enabled: boolean; perMinute: number; perSecond: number };
  readonly outbound: {
    dispatchIntervalMs: number;
    concurrency: number;
    maxAttempts: number;
    maxRecipients: number;
    /** Exchange: 30 messages per minute per mailbox (the window is configurable for tests). */
    mailboxMessagesPerWindow: number;
    mailboxWindowMs: number;
    /**
     * Safety margin: Exchange counts a send when it receives it, a little after we booked it,
     * so the window we count is this much longer, and a booking older than the margin is not
     * sent (it is booked again).
     */
    mailboxWindowMarginMs: number;
    /** Exchange: 10,000 recipients per rolling 24 hours per mailbox. */
    mailboxRecipientsPerDay: number;
    /** A send older than this without a recorded outcome is checked against Sent Items. */
    sendLeaseMs: number;
    /**
     * A send whose outcome is unknown is judged "not sent" only by a Sent Items search made at
     * least this long after it started (Exchange files the sent copy with a delay).
     */
    sentItemsSettleMs: number;
    /** A message no identity can send waits this long (with its real reason) before failing. */
    maxWaitMs: number;
    /**
     * Sent-details job: every `intervalMs` it reads the Sent Items copy of messages sent at
     * least `sentItemsSettleMs` ago, for their internetMessageId and conversationId. Not found
     * yet → looked up again after `retryMs`, doubling each time (at most 1 hour); given up
     * after `maxAttempts` lookups that found nothing, or `maxAgeMs` after sending (also when
     * the mailbox could not be read at all meanwhile).
     */
    sentDetails: { intervalMs: number; retryMs: number; maxAttempts: number; maxAgeMs: number };
    /**
     * Test fault hook (kill tests): the process kills itself with SIGKILL right before calling
     * sendMail, or right after Microsoft accepted it and before the outcome is recorded.
     */
    testCrash: 'none' | 'before_send' | 'after_send';
  };
  readonly jobs: {
    enabled: boolean;
    outboxIntervalMs: number;
    outboxBatchSize: number;
    outboxMaxAttempts: number;
    tokenRefresh: { concurrency: number };
    identityRescanHours: number;
    identityScanConcurrency: number;
  };
  readonly organizations: {
    /** Each organization's directory is listed again this often (ORG_SYNC_HOURS). */
    syncHours: number;
    /** How long an admin consent link stays usable (ADMIN_CONSENT_ATTEMPT_HOURS). */
    consentLinkHours: number;
  };
  /** Undefined in sandbox/test mode when no key is configured: a dev key is generated. */
  readonly vault: { ring?: KeyRing };
  readonly microsoft: {
    clientId?: string;
    clientSecret?: string;
    authorityHost: string;
    graphBaseUrl: string;
    /** Tenant segment of the sign-in authority: common, organizations or a tenant id. */
    tenant: string;
    extraCaFile?: string;
    /** PEM of the extra CA (read from extraCaFile, or the sandbox emulator's). */
    caPem?: string;
  };
  readonly appJwt: {
    secret?: string;
    jwksUrl?: string;
    issuer?: string;
    audience?: string;
    workspaceClaim: string;
  };
  readonly ai: {
    provider: 'rules' | 'openai';
    baseUrl?: string;
    apiKey?: string;
    model?: string;
  } & AiLimits;
  readonly inbound: InboundSettings;
  /** The operations console at /admin (staff sign-in, sessions, lockout). */
  readonly console: ConsoleSettings;

  constructor(values: AppConfig) {
    Object.assign(this, values);
  }

  /** Whether secrets may be generated locally and fixtures used (sandbox or tests). */
  get devMode(): boolean {
    return this.sandbox || this.env === 'test';
  }

  dataPath(...parts: string[]): string {
    const base = isAbsolute(this.dataDir) ? this.dataDir : resolve(process.cwd(), this.dataDir);
    return resolve(base, ...parts);
  }

  withMicrosoft(microsoft: Partial<AppConfig['microsoft']>): AppConfig {
    return new AppConfig({ ...this, microsoft: { ...this.microsoft, ...microsoft } } as AppConfig);
  }

  withSandboxInfo(sandboxInfo: SandboxInfo): AppConfig {
    return new AppConfig({ ...this, sandboxInfo } as AppConfig);
  }

  withDatabaseUrl(url: string): AppConfig {
    return new AppConfig({ ...this, database: { ...this.database, url } } as AppConfig);
  }
}
