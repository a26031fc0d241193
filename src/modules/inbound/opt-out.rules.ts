import { headerValue, type MailHeader } from './loop-guard.rules.js';

export type OptOut = 'unsubscribe' | 'complaint';

const ADDRESS = /[a-z0-9._%+'-]+@[a-z0-9.-]+\.[a-z]{2,}/gi;
const REPORTER = /^(mailer-daemon|postmaster)@/i;
const DELIVERY_STATUS = /^multipart\/report\b.*report-type\s*=\s*"?delivery-status/is;
/** A permanent failure: an enhanced status 5.x.x, an SMTP 550–554, or the usual words. */
const HARD = [
  /\b5\.\d{1,3}\.\d{1,3}\b/,
  /\b55[0-4]\b/,
  /\bcould(n'?t| not) be delivered\b/i,
  /\b(user|recipient|mailbox|address) (unknown|not found|does not exist|doesn'?t exist)\b/i,
  /\bwasn'?t found at\b/i,
  /\bno such (user|recipient|mailbox)\b/i,
];
/** Full mailboxes and over-quota answers come back later: never a reason to suppress. */
const SOFT = [
  /\b5\.2\.2\b/,
  /\bmailbox (is )?full\b/i,
  /\bover (the )?quota\b/i,
  /\b4\.\d{1,3}\.\d{1,3}\b/,
];

/** Whether a message is a delivery report (RFC 3464 report, or written by a mail system). */
export function isDeliveryReport(from: string | null, headers: readonly MailHeader[]): boolean {
  if (from && REPORTER.test(from)) return true;
  return DELIVERY_STATUS.test(headerValue(headers, 'content-type') ?? '');
}

/**
 * The addresses a delivery report says are permanently undeliverable: those it names, except
 * our own and the reporter, when it reads as a permanent failure and not a temporary one.
 */
export function hardBouncedAddresses(text: string, exclude: ReadonlySet<string>): string[] {
  if (!HARD.some((p) => p.test(text)) || SOFT.some((p) => p.test(text))) return [];
  const found = (text.match(ADDRESS) ?? []).map((a) => a.toLowerCase());
  return [...new Set(found)].filter((a) => !exclude.has(a) && !REPORTER.test(a));
}

/** Requests from a person; a bare "Unsubscribe" link text of a newsletter footer is not one. */
const UNSUBSCRIBE = [
  /\b(please |pls |kindly )?unsubscribe (me|us)\b/i,
  /^\s*(unsubscribe|stop|remove)\s*[.!]*\s*$/im,
  /\b(i|we) (want|would like|wish|need) to unsubscribe\b/i,
  /\b(remove|take) me (off|from)\b/i,
  /\bopt(ing)?[- ]?out\b/i,
  /\bstop (e-?mailing|contacting|sending|writing to|messaging) (me|us)\b/i,
  /\b(do not|don'?t|never) (contact|e-?mail|write to|message) (me|us)( again)?\b/i,
  /\bno more e-?mails?\b/i,
];
const COMPLAINT = [
  /\b(this is|that'?s|this was|reported (this |you )?as|report(ing)? (this|you) as|marked (this |you )?as) spam\b/i,
  /\bspamm(ing|ed) me\b/i,
  /\bharass(ing|ment)\b/i,
];

/**
 * Whether a person asked not to be written to again (or complained), in what they wrote: the
 * subject and the new part of the body, never the quoted message (our own mail may say
 * "unsubscribe" in its footer).
 */
export function optOutOf(subject: string, body: string): OptOut | null {
  const text = `${subject.replace(/^\s*(re|aw|sv|antw)\s*:\s*/i, '')}\n${ownText(body)}`;
  if (COMPLAINT.some((p) => p.test(text))) return 'complaint';
  if (UNSUBSCRIBE.some((p) => p.test(text))) return 'unsubscribe';
  return null;
}

const QUOTE_START = [
  /^\s*on .{1,200}wrote:\s*$/i,
  /^\s*-{2,}\s*original message\s*-{2,}/i,
  /^\s*_{10,}\s*$/,
  /^\s*from:\s.+/i,
];

/** The body above the first quoted part, without `>` lines. */
export function ownText(body: string): string {
  const lines = body.split(/\r?\n/);
  const end = lines.findIndex((line) => QUOTE_START.some((p) => p.test(line)));
  return (end === -1 ? lines : lines.slice(0, end))
    .filter((line) => !line.trimStart().startsWith('>'))
    .join('\n');
}
