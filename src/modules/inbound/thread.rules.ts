import { headerValue, type MailHeader } from './loop-guard.rules.js';

/** Message ids (`<…>`) named by In-Reply-To and References. */
export function referencedIds(headers: readonly MailHeader[]): string[] {
  const text = `${headerValue(headers, 'in-reply-to') ?? ''} ${headerValue(headers, 'references') ?? ''}`;
  return [...new Set(text.match(/<[^<>\s]+>/g) ?? [])];
}

export interface OwnedThreads {
  internetMessageIds: ReadonlySet<string>;
  conversationIds: ReadonlySet<string>;
}

/**
 * Reply Only: the message answers something the product sent (In-Reply-To / References name
 * one of its messages) or belongs to a conversation it started or already replied in.
 */
export function ownsThread(
  message: { conversationId: string | null; referencedIds: readonly string[] },
  owned: OwnedThreads,
): boolean {
  if (message.referencedIds.some((id) => owned.internetMessageIds.has(id))) return true;
  return message.conversationId !== null && owned.conversationIds.has(message.conversationId);
}
