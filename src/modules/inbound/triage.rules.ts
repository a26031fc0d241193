import type { RouteRule } from '../../common/config/inbound-settings.js';

export const CATEGORIES = [
  'lead',
  'question',
  'support_request',
  'billing',
  'meeting_request',
  'personal',
  'out_of_office',
  'bounce',
  'newsletter',
  'spam',
  'other',
] as const;

export type Category = (typeof CATEGORIES)[number];
export type Purpose = 'new_business' | 'support' | 'general' | 'billing' | 'personal';
export type Behavior = 'full_auto' | 'reply_only' | 'triage_only' | 'disabled';

/** Conversations a person started: the only ones an AI reply may answer. */
const CONVERSATIONAL: ReadonlySet<Category> = new Set([
  'lead',
  'question',
  'support_request',
  'billing',
  'meeting_request',
  'personal',
]);

export function isConversational(category: Category): boolean {
  return CONVERSATIONAL.has(category);
}

export interface ActionInput {
  behavior: Behavior;
  category: Category;
  confidence: number;
  minConfidence: number;
  /** Reply Only: the product sent the first message of the thread or already replied in it. */
  ownsThread: boolean;
  /** The AI provider failed: classified by the rules provider, never answered. */
  providerFailed: boolean;
}

export type ActionDecision = { act: 'reply' } | { act: 'triage'; reason: string };

/** What to do with a classified message that passed the loop guard. */
export function decideAction(input: ActionInput): ActionDecision {
  if (input.behavior === 'triage_only' || input.behavior === 'disabled')
    return { act: 'triage', reason: `behavior_${input.behavior}` };
  if (input.providerFailed) return { act: 'triage', reason: 'ai_provider_unavailable' };
  if (!CONVERSATIONAL.has(input.category))
    return { act: 'triage', reason: `not_a_conversation:${input.category}` };
  if (input.confidence < input.minConfidence) return { act: 'triage', reason: 'low_confidence' };
  if (input.behavior === 'reply_only' && !input.ownsThread)
    return { act: 'triage', reason: 'thread_not_owned' };
  return { act: 'reply' };
}

const LABELS: Record<Category, string> = {
  lead: 'Lead',
  question: 'Question',
  support_request: 'Support',
  billing: 'Billing',
  meeting_request: 'Meeting',
  personal: 'Personal',
  out_of_office: 'Out of office',
  bounce: 'Bounce',
  newsletter: 'Newsletter',
  spam: 'Spam',
  other: 'Other',
};

const FLAGGED: ReadonlySet<Category> = new Set([
  'lead',
  'support_request',
  'billing',
  'meeting_request',
]);

/** The Outlook category and flag for a category: the configured override, else the default. */
export function routeFor(category: Category, overrides: Record<string, RouteRule>): RouteRule {
  return (
    overrides[category] ?? { category: `AI: ${LABELS[category]}`, flag: FLAGGED.has(category) }
  );
}

/** The message's categories with ours added (Outlook keeps the user's own). */
export function withCategory(existing: readonly string[], add: string | null): string[] {
  return add && !existing.includes(add) ? [...existing, add] : [...existing];
}

export function isCategory(value: unknown): value is Category {
  return typeof value === 'string' && (CATEGORIES as readonly string[]).includes(value);
}

const MAX_REPLY = 2000;
const ADDRESS = /[^\s@<>()]+@[^\s@<>()]+\.[a-z]{2,}/i;
const LINK = /\b(https?:\/\/|www\.)/i;

/**
 * Why an AI-written reply must not be sent, or null: empty, too long, or carrying an address or
 * a link (a reply never adds contacts or destinations: a prompt-injected model cannot use one).
 */
export function replyProblem(text: string | null): string | null {
  const trimmed = (text ?? '').trim();
  if (trimmed === '') return 'empty';
  if (trimmed.length > MAX_REPLY) return 'too_long';
  if (ADDRESS.test(trimmed)) return 'contains_address';
  if (LINK.test(trimmed)) return 'contains_link';
  return null;
}
