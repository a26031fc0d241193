/** A topic the AI hands to a person, and the phrases that name it. */
export interface EscalationTopic {
  topic: string;
  phrases: string[];
}

/** The topics every mailbox escalates unless its settings list others. */
export const DEFAULT_ESCALATION_TOPICS: readonly EscalationTopic[] = [
  {
    topic: 'pricing',
    phrases: ['pricing', 'price', 'cost', 'quote', 'how much', 'discount', 'invoice'],
  },
  { topic: 'refund', phrases: ['refund', 'money back', 'chargeback', 'reimburse'] },
  { topic: 'cancellation', phrases: ['cancel', 'cancellation', 'terminate', 'termination'] },
  { topic: 'contract', phrases: ['contract', 'agreement', 'terms and conditions', 'nda', 'msa'] },
  { topic: 'legal', phrases: ['legal', 'lawyer', 'attorney', 'lawsuit', 'gdpr', 'court'] },
  {
    topic: 'complaint',
    phrases: ['complaint', 'complain', 'unacceptable', 'disappointed', 'escalate'],
  },
  {
    topic: 'unsubscribe',
    phrases: ['unsubscribe', 'opt out', 'remove me', 'stop emailing', 'stop contacting'],
  },
  {
    topic: 'talk_to_a_human',
    phrases: [
      'talk to a human',
      'speak to a human',
      'talk to a person',
      'speak to a person',
      'real person',
      'human being',
      'are you a bot',
    ],
  },
];

export interface EscalationInput {
  subject: string;
  /** The message body as plain text (quoted history is ignored). */
  bodyText: string;
  topics: readonly EscalationTopic[];
  confidence: number;
  confidenceFloor: number;
  /** The AI provider failed: its confidence means nothing, topics still apply. */
  providerFailed: boolean;
}

export type Escalation = { topic: string | null; reason: string };

/**
 * Whether a conversational message must go to a person instead of an AI reply: the first topic
 * one of whose phrases appears in the subject or in the sender's own text (as whole words, any
 * case, plural and -ed/-ing forms included), else a classification below the confidence floor.
 */
export function escalationFor(input: EscalationInput): Escalation | null {
  const text = normalise(`${input.subject}\n${withoutQuotedHistory(input.bodyText)}`);
  for (const { topic, phrases } of input.topics) {
    const phrase = phrases.find((p) => mentions(text, p));
    if (phrase) return { topic, reason: `escalated:${topic}` };
  }
  if (!input.providerFailed && input.confidence < input.confidenceFloor)
    return { topic: null, reason: 'escalated:below_confidence_floor' };
  return null;
}

function normalise(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/\s+/g, ' ');
}

/** Whole-word match of a phrase (its words separated by any whitespace), with simple suffixes. */
export function mentions(text: string, phrase: string): boolean {
  const words = normalise(phrase).trim().split(' ').filter(Boolean).map(escapeRegExp);
  if (words.length === 0) return false;
  const pattern = new RegExp(
    `(^|[^\\p{L}\\p{N}])${words.join('\\s+')}(s|es|d|ed|ing|led|ling)?($|[^\\p{L}\\p{N}])`,
    'u',
  );
  return pattern.test(text);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const QUOTE_START = [
  /^\s*on .{1,200} wrote:\s*$/i,
  /^\s*-{2,}\s*original message\s*-{2,}/i,
  /^\s*from:\s.+$/i,
  /^_{10,}\s*$/,
];

/** The sender's own text: stops at the first quoted line or reply header (our quoted outreach). */
export function withoutQuotedHistory(text: string): string {
  const lines = text.split(/\r?\n/);
  const end = lines.findIndex((l) => l.startsWith('>') || QUOTE_START.some((re) => re.test(l)));
  return (end === -1 ? lines : lines.slice(0, end)).join('\n');
}
