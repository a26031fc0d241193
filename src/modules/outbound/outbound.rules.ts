import { createHash } from 'node:crypto';
import { textProblem } from '../../common/http/text-rules.js';

export interface Recipient {
  email: string;
  name?: string;
}

export type RecipientInput = string | { email: string; name?: string };

const EMAIL = /^[^\s@<>(),;:"[\]\\]+@[^\s@<>(),;:"[\]\\]+\.[^\s@<>(),;:"[\]\\]+$/;

/**
 * Normalises a recipient (address string or {email, name?}); undefined when malformed: any
 * other shape or type, or an address or name that would not be a single header line.
 */
export function parseRecipient(input: unknown): Recipient | undefined {
  const fields = recipientFields(input);
  const email = fields?.email.trim();
  if (!fields || !email || email.length > 320 || !EMAIL.test(email)) return undefined;
  const name = fields.name?.trim() || undefined;
  if (textProblem(email, 'header') || (name && textProblem(name, 'header'))) return undefined;
  return name ? { email: email.toLowerCase(), name } : { email: email.toLowerCase() };
}

function recipientFields(input: unknown): { email: string; name?: string } | undefined {
  if (typeof input === 'string') return { email: input };
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return undefined;
  const { email, name } = input as Record<string, unknown>;
  if (typeof email !== 'string') return undefined;
  if (name === undefined || name === null) return { email };
  return typeof name === 'string' ? { email, name } : undefined;
}

/** A stable fingerprint of what was asked, to tell an Idempotency-Key replay from a reuse. */
export function requestHash(body: unknown): string {
  return createHash('sha256').update(canonical(body)).digest('hex');
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export interface Candidate {
  identityId: string;
  mailboxId: string;
  /** When this identity last started a send; null = never. */
  lastUsedAt: Date | null;
}

/** Least recently used first; never-used identities before any used one; ties by id. */
export function rotationOrder<T extends Candidate>(candidates: readonly T[]): T[] {
  return [...candidates].sort((a, b) => {
    const at = a.lastUsedAt?.getTime() ?? -1;
    const bt = b.lastUsedAt?.getTime() ?? -1;
    return at - bt || a.identityId.localeCompare(b.identityId);
  });
}

export interface MailboxUsage {
  messagesInWindow: number;
  recipientsInDay: number;
  /** Sends going out now (started, not recorded yet), where read. */
  inFlight?: number;
}

export interface MailboxLimits {
  messagesPerWindow: number;
  recipientsPerDay: number;
}

/** Exchange's per-mailbox sending limits, counted across all instances in the database. */
export function underLimits(
  usage: MailboxUsage,
  recipients: number,
  limits: MailboxLimits,
): boolean {
  return (
    usage.messagesInWindow < limits.messagesPerWindow &&
    usage.recipientsInDay + recipients <= limits.recipientsPerDay
  );
}

export type SendFailureKind =
  'send_as_denied' | 'unknown' | 'retry' | 'token_refused' | 'mailbox' | 'permanent';

/**
 * What a failed sendMail means, by HTTP status and Graph error code:
 * - `unknown`: no answer (reset, timeout) or a gateway error (502/504) — Microsoft may have
 *   accepted the message, so it is never resent before Sent Items has been checked;
 * - `retry`: refused before processing (429, 500, 503 and other 5xx) — safe to send again later;
 * - `token_refused`: 401 even after the token was renewed — the mailbox's token is the problem;
 * - `mailbox`: this mailbox cannot send through Graph at all;
 * - `permanent`: the message itself was refused (4xx).
 */
export function classifySendFailure(status: number, code: string): SendFailureKind {
  if (code === 'ErrorSendAsDenied') return 'send_as_denied';
  if (status === 0 || status === 502 || status === 504) return 'unknown';
  if (status === 429 || status >= 500) return 'retry';
  if (status === 401) return 'token_refused';
  if (code === 'MailboxNotEnabledForRESTAPI') return 'mailbox';
  return 'permanent';
}

const BASE_MS = 5_000;
const CAP_MS = 30 * 60_000;

/** Retry-After when Microsoft sent it, else exponential backoff from 5 s. */
export function sendRetryDelayMs(attempts: number, retryAfterSec?: number): number {
  if (retryAfterSec !== undefined) return Math.max(retryAfterSec, 0) * 1000;
  return Math.min(CAP_MS, BASE_MS * 2 ** Math.max(0, attempts - 1));
}

/**
 * When to look in Sent Items again after it could not be read: a quarter of the time the
 * outcome has been unknown, from 5 s up to 10 minutes (quick at first, sparing later).
 */
export function outcomeCheckDelayMs(unknownForMs: number): number {
  return Math.min(10 * 60_000, Math.max(5_000, Math.floor(unknownForMs / 4)));
}
