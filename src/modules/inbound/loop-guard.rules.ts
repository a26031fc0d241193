/** A header as Graph returns it in `internetMessageHeaders`. */
export interface MailHeader {
  name: string;
  value: string;
}

export interface GuardInput {
  /** Sender address (From), lower case; null when the message has none. */
  from: string | null;
  headers: readonly MailHeader[];
  subject: string;
  /** Every address of the workspace's own mailboxes and identities, lower case. */
  ownAddresses: ReadonlySet<string>;
  /** AI replies already sent in this conversation in the last 24 hours. */
  repliesInThreadToday: number;
  maxRepliesPerThreadPerDay: number;
}

export type GuardResult = { pass: true } | { pass: false; reason: string };

/** Our own replies carry this header: another ScendCore mailbox never answers them. */
export const AI_REPLY_HEADER = 'X-ScendCore-AI-Reply';

const SYSTEM_LOCAL_PART =
  /^(mailer-daemon|postmaster|no[-_.]?reply|do[-_.]?not[-_.]?reply|bounces?|bounces?[-+].*|no[-_.]?reply[-+].*)$/i;
const PRECEDENCE = /^(bulk|list|junk|auto_reply)$/i;
const REPORT = /^multipart\/report\b|^message\/(delivery-status|disposition-notification)\b/i;
const OUT_OF_OFFICE_SUBJECT =
  /^\s*(automatic reply|auto(matic)?[- ]?reply|auto[- ]?response|out of (the )?office|abwesenheitsnotiz|réponse automatique|respuesta automática|risposta automatica)\b/i;
const AUTO_REPLY_HEADERS = [
  'x-autoreply',
  'x-autorespond',
  'x-auto-reply',
  'x-ms-exchange-inbox-rules-loop',
];

/**
 * Whether a received message may get an AI reply at all: mail loops, automated mail and our
 * own mail are skipped, each with its reason. The order is the reason reported first.
 */
export function loopGuard(input: GuardInput): GuardResult {
  const reason =
    senderReason(input) ??
    headerReason(input.headers) ??
    subjectReason(input.subject) ??
    capReason(input);
  return reason ? { pass: false, reason } : { pass: true };
}

function senderReason(input: GuardInput): string | undefined {
  if (!input.from || !input.from.includes('@')) return 'no_sender';
  if (input.ownAddresses.has(input.from.toLowerCase())) return 'own_identity';
  const local = input.from.slice(0, input.from.lastIndexOf('@'));
  return SYSTEM_LOCAL_PART.test(local) ? 'system_sender' : undefined;
}

function headerReason(headers: readonly MailHeader[]): string | undefined {
  const get = (name: string) => headerValue(headers, name);
  const autoSubmitted = get('auto-submitted');
  if (autoSubmitted !== undefined && token(autoSubmitted) !== 'no') return 'auto_submitted';
  const suppress = get('x-auto-response-suppress');
  if (suppress !== undefined && !/^\s*(none)?\s*$/i.test(suppress)) return 'auto_response_suppress';
  const precedence = get('precedence');
  if (precedence !== undefined && PRECEDENCE.test(token(precedence))) return 'precedence_bulk';
  if (get('list-id') !== undefined) return 'list_id';
  if (get('list-unsubscribe') !== undefined) return 'list_unsubscribe';
  const returnPath = get('return-path');
  if (returnPath !== undefined && /^\s*<\s*>\s*$/.test(returnPath)) return 'empty_return_path';
  if (REPORT.test(get('content-type') ?? '')) return 'delivery_or_read_report';
  if (AUTO_REPLY_HEADERS.some((name) => get(name) !== undefined)) return 'auto_reply';
  if (get(AI_REPLY_HEADER) !== undefined) return 'ai_reply';
  return undefined;
}

function subjectReason(subject: string): string | undefined {
  return OUT_OF_OFFICE_SUBJECT.test(subject) ? 'out_of_office' : undefined;
}

function capReason(input: GuardInput): string | undefined {
  return input.repliesInThreadToday >= input.maxRepliesPerThreadPerDay
    ? 'thread_reply_cap'
    : undefined;
}

/** First value of a header, by case-insensitive name. */
export function headerValue(headers: readonly MailHeader[], name: string): string | undefined {
  const lower = name.toLowerCase();
  return headers.find((h) => h.name.toLowerCase() === lower)?.value;
}

/** The first token of a structured header value, lower case (`auto-replied; x=y` → auto-replied). */
function token(value: string): string {
  return value.split(';')[0].trim().toLowerCase();
}
