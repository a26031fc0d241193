import type { Category, Purpose } from '../triage.rules.js';

/** What a provider is shown of a message: only what classifying and answering it needs. */
export interface MessageForAi {
  purpose: Purpose;
  fromAddress: string;
  fromName: string | null;
  subject: string;
  /** Plain text of the body, bounded. */
  bodyText: string;
  /** Who answers: the mailbox's display name (signs the reply); empty when it has none. */
  mailboxName: string;
}

export interface Classification {
  category: Category;
  /** Short snake_case label of what the sender wants. */
  intent: string;
  /** 0–1. */
  confidence: number;
  /** One line. */
  summary: string;
  /** A suggested reply text, or null; used only when the behavior and rules allow a reply. */
  reply: string | null;
}

export type AiFailureKind =
  'timeout' | 'rate_limited' | 'malformed' | 'http' | 'network' | 'cap_reached';

/** The provider could not classify: the message is triaged by the rules provider instead. */
export class AiProviderError extends Error {
  constructor(
    readonly kind: AiFailureKind,
    message: string,
  ) {
    super(message);
    this.name = 'AiProviderError';
  }
}

/** An AI provider: classifies a message for a mailbox's purpose and suggests a reply. */
export interface AiProvider {
  readonly name: string;
  classify(workspaceId: string, message: MessageForAi): Promise<Classification>;
}

export const AI_PROVIDER = Symbol('AI_PROVIDER');

const MAX_BODY = 4000;

/** Bounded plain text of a Graph body (HTML tags and entities stripped). */
export function plainText(body: { contentType?: string; content?: string } | undefined): string {
  const content = body?.content ?? '';
  const text = /html/i.test(body?.contentType ?? '')
    ? content
        .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
        .replace(/<br\s*\/?>|<\/p>|<\/div>/gi, '\n')
        .replace(/<[^>]+>/g, ' ')
        .replace(/&nbsp;/g, ' ')
        .replace(/&amp;/g, '&')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
    : content;
  return text
    .replace(/[ \t]+/g, ' ')
    .replace(/\n\s*\n+/g, '\n\n')
    .trim()
    .slice(0, MAX_BODY);
}
