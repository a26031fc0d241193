import type { Category, Purpose } from '../triage.rules.js';
import type { Classification, MessageForAi } from './ai-provider.js';

interface Rule {
  category: Category;
  intent: string;
  patterns: RegExp[];
}

/** Automated mail first: these win over any conversational keyword. */
const AUTOMATED: Rule[] = [
  {
    category: 'bounce',
    intent: 'delivery_failure',
    patterns: [
      /undeliverable/i,
      /delivery (status notification|has failed|failure)/i,
      /returned to sender/i,
      /mail delivery (failed|subsystem)/i,
      /could not be delivered/i,
    ],
  },
  {
    category: 'out_of_office',
    intent: 'away_notice',
    patterns: [
      /out of (the )?office/i,
      /automatic reply/i,
      /i am (currently )?(away|on (vacation|leave|holiday))/i,
      /limited access to (my )?e-?mail/i,
    ],
  },
  {
    category: 'spam',
    intent: 'unsolicited',
    patterns: [
      /you (have|'ve) won/i,
      /lottery|jackpot|casino/i,
      /claim your (prize|reward)/i,
      /crypto(currency)? (giveaway|investment)/i,
      /wire transfer.*urgent|urgent.*wire transfer/i,
      /viagra|cialis/i,
    ],
  },
  {
    category: 'newsletter',
    intent: 'marketing',
    patterns: [
      /unsubscribe/i,
      /view (this e-?mail )?in (your )?browser/i,
      /you('re| are) receiving this (e-?mail|message) because/i,
      /manage (your )?(email )?preferences/i,
      /newsletter|weekly digest|webinar/i,
    ],
  },
];

const CONVERSATIONAL: Rule[] = [
  {
    category: 'lead',
    intent: 'buying_interest',
    patterns: [
      /pricing|price|quote|proposal/i,
      /interested in/i,
      /\bdemo\b/i,
      /how much/i,
      /purchase|buy|licen[cs]es?|seats/i,
    ],
  },
  {
    category: 'support_request',
    intent: 'report_problem',
    patterns: [
      /not working|doesn'?t work|broken|\bbug\b/i,
      /\berror\b|crash/i,
      /can'?t (log ?in|sign ?in|access)|cannot (log ?in|access)|locked out/i,
      /\bissue\b|problem|outage/i,
      /\bhelp\b|support/i,
    ],
  },
  {
    category: 'billing',
    intent: 'billing_inquiry',
    patterns: [
      /invoice|receipt/i,
      /payment|paid|charge[ds]?|refund/i,
      /billing|subscription fee|credit card/i,
    ],
  },
  {
    category: 'meeting_request',
    intent: 'schedule_meeting',
    patterns: [
      /meeting|meet up|call next week|schedule a (call|time)/i,
      /calendar|availability|available (on|next)/i,
      /book a (time|slot)/i,
    ],
  },
  {
    category: 'personal',
    intent: 'personal_note',
    patterns: [
      /lunch|dinner|coffee/i,
      /birthday|congrat|wedding|family/i,
      /weekend|holiday plans/i,
    ],
  },
  {
    category: 'question',
    intent: 'ask_question',
    patterns: [/\?/, /\b(how|what|when|where|which|could you|can you|would you)\b/i],
  },
];

/** Which conversational category a mailbox purpose looks for first. */
const PURPOSE_FIRST: Record<Purpose, Category | null> = {
  new_business: 'lead',
  support: 'support_request',
  billing: 'billing',
  personal: 'personal',
  general: null,
};

/**
 * The built-in deterministic classifier: header-free keyword rules over subject and body,
 * automated mail first, then conversational categories with the mailbox purpose's own first.
 */
export function classifyByRules(message: MessageForAi): Omit<Classification, 'reply'> {
  const text = `${message.subject}\n${message.bodyText}`;
  const hits = (rule: Rule) => rule.patterns.filter((p) => p.test(text)).length;
  for (const rule of AUTOMATED) {
    const n = hits(rule);
    if (n > 0) return result(rule, n, message);
  }
  const scored = CONVERSATIONAL.map((rule) => ({
    rule,
    n: hits(rule) + (rule.category === PURPOSE_FIRST[message.purpose] && hits(rule) > 0 ? 1 : 0),
  })).filter((s) => s.n > 0);
  const best = scored.sort((a, b) => b.n - a.n)[0];
  if (!best)
    return {
      category: 'other',
      intent: 'unknown',
      confidence: 0.3,
      summary: summary('other', message),
    };
  return result(best.rule, best.n, message);
}

function result(rule: Rule, hits: number, message: MessageForAi): Omit<Classification, 'reply'> {
  return {
    category: rule.category,
    intent: rule.intent,
    confidence: Math.min(0.95, 0.55 + 0.15 * hits),
    summary: summary(rule.category, message),
  };
}

function summary(category: Category, message: MessageForAi): string {
  const subject = message.subject.replace(/\s+/g, ' ').trim().slice(0, 80) || '(no subject)';
  return `${category.replace(/_/g, ' ')} from ${message.fromAddress}: ${subject}`;
}
