import { z } from 'zod';
import type { ConfigProblem } from './problems.js';

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

const fraction = (fallback: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return fallback;
      const n = Number(v);
      if (!Number.isFinite(n) || n < 0 || n > 1) {
        ctx.addIssue({ code: 'custom', message: 'must be a number from 0 to 1' });
        return z.NEVER;
      }
      return n;
    });

/** One routing rule: the Outlook category to set and whether to flag, per AI category. */
export interface RouteRule {
  category: string | null;
  flag: boolean;
}

const ROUTE_ENTRY = /^([a-z_]+)=([^|;=]*)(\|flag)?$/;

/** `lead=AI: Lead|flag;newsletter=` → { lead: {category, flag: true}, newsletter: none }. */
const routing = z
  .string()
  .optional()
  .transform((v, ctx) => {
    const rules: Record<string, RouteRule> = {};
    for (const entry of (v ?? '').split(';').map((s) => s.trim())) {
      if (entry === '') continue;
      const match = ROUTE_ENTRY.exec(entry);
      if (!match) {
        ctx.addIssue({ code: 'custom', message: `"${entry}" is not category=Outlook name[|flag]` });
        return z.NEVER;
      }
      rules[match[1]] = { category: match[2].trim() || null, flag: Boolean(match[3]) };
    }
    return rules;
  });

/** Environment variables of inbound AI (documented in .env.example). */
export const inboundEnvShape = {
  INBOUND_DELIVERY: z.enum(['auto', 'notifications', 'polling']).default('auto'),
  INBOUND_DELIVERY_INTERVAL_MS: int(5000, 50, 3_600_000),
  INBOUND_PIPELINE_INTERVAL_MS: int(1000, 50, 3_600_000),
  INBOUND_POLL_INTERVAL_MS: int(60_000, 1000, 86_400_000),
  INBOUND_CATCHUP_INTERVAL_MS: int(300_000, 1000, 86_400_000),
  INBOUND_SUBSCRIPTION_MINUTES: int(4230, 5, 10_080),
  INBOUND_CONCURRENCY: int(4, 1, 64),
  INBOUND_MAX_ATTEMPTS: int(5, 1, 50),
  INBOUND_LEASE_MS: int(120_000, 200, 3_600_000),
  INBOUND_MAX_REPLIES_PER_THREAD_PER_DAY: int(3, 0, 100),
  INBOUND_MIN_REPLY_CONFIDENCE: fraction(0.6),
  INBOUND_ROUTING: routing,
  INBOUND_TEST_CRASH: z
    .enum(['none', 'after_draft_created', 'before_reply_send', 'after_reply_send'])
    .default('none'),
  AI_TIMEOUT_MS: int(15_000, 100, 300_000),
  AI_DAILY_CALLS_PER_WORKSPACE: int(2_000, 0, 10_000_000),
  AI_DAILY_TOKENS_PER_WORKSPACE: int(2_000_000, 0, 2_000_000_000),
};

type InboundEnv = {
  [K in keyof typeof inboundEnvShape]: z.infer<(typeof inboundEnvShape)[K]>;
} & { NODE_ENV: string; PUBLIC_URL?: string };

export interface InboundSettings {
  /** How new mail is learned of: Graph change notifications, or delta polling only. */
  delivery: 'notifications' | 'polling';
  pipelineIntervalMs: number;
  /** How often the delivery job looks for mailboxes due for a subscription or delta call. */
  deliveryIntervalMs: number;
  /** Delta polling cadence per mailbox in polling mode. */
  pollIntervalMs: number;
  /** Delta catch-up cadence per mailbox when notifications deliver. */
  catchUpIntervalMs: number;
  subscriptionMinutes: number;
  concurrency: number;
  maxAttempts: number;
  /** How long a claimed message is held before another instance may take it over. */
  leaseMs: number;
  maxRepliesPerThreadPerDay: number;
  /** Below this classification confidence an eligible message is triaged, not answered. */
  minReplyConfidence: number;
  routing: Record<string, RouteRule>;
  /** Kill tests only: SIGKILL right after a review draft is created, or around the reply's send. */
  testCrash: 'none' | 'after_draft_created' | 'before_reply_send' | 'after_reply_send';
}

export interface AiLimits {
  timeoutMs: number;
  dailyCallsPerWorkspace: number;
  dailyTokensPerWorkspace: number;
}

/** auto: notifications when PUBLIC_URL is https (Graph delivers only there), else polling. */
export function deliveryMode(raw: InboundEnv): 'notifications' | 'polling' {
  if (raw.INBOUND_DELIVERY !== 'auto') return raw.INBOUND_DELIVERY;
  return raw.PUBLIC_URL?.startsWith('https://') ? 'notifications' : 'polling';
}

export function inboundProblems(raw: InboundEnv): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const https = raw.PUBLIC_URL?.startsWith('https://') ?? false;
  if (raw.INBOUND_DELIVERY === 'notifications' && raw.NODE_ENV === 'production' && !https) {
    problems.push({
      variable: 'INBOUND_DELIVERY',
      message:
        'notifications needs an https PUBLIC_URL in production (Graph delivers only to https)',
    });
  }
  if (raw.INBOUND_TEST_CRASH !== 'none' && raw.NODE_ENV !== 'test') {
    problems.push({
      variable: 'INBOUND_TEST_CRASH',
      message: 'is a kill-test hook and is accepted only with NODE_ENV=test',
    });
  }
  return problems;
}

export function buildInbound(raw: InboundEnv): InboundSettings {
  return {
    delivery: deliveryMode(raw),
    pipelineIntervalMs: raw.INBOUND_PIPELINE_INTERVAL_MS,
    deliveryIntervalMs: raw.INBOUND_DELIVERY_INTERVAL_MS,
    pollIntervalMs: raw.INBOUND_POLL_INTERVAL_MS,
    catchUpIntervalMs: raw.INBOUND_CATCHUP_INTERVAL_MS,
    subscriptionMinutes: raw.INBOUND_SUBSCRIPTION_MINUTES,
    concurrency: raw.INBOUND_CONCURRENCY,
    maxAttempts: raw.INBOUND_MAX_ATTEMPTS,
    leaseMs: raw.INBOUND_LEASE_MS,
    maxRepliesPerThreadPerDay: raw.INBOUND_MAX_REPLIES_PER_THREAD_PER_DAY,
    minReplyConfidence: raw.INBOUND_MIN_REPLY_CONFIDENCE,
    routing: raw.INBOUND_ROUTING,
    testCrash: raw.INBOUND_TEST_CRASH,
  };
}

export function buildAiLimits(raw: InboundEnv): AiLimits {
  return {
    timeoutMs: raw.AI_TIMEOUT_MS,
    dailyCallsPerWorkspace: raw.AI_DAILY_CALLS_PER_WORKSPACE,
    dailyTokensPerWorkspace: raw.AI_DAILY_TOKENS_PER_WORKSPACE,
  };
}
