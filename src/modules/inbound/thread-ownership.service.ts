import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { OutboundMessageSent } from '../../common/events/outbound.events.js';
import { ReplyService } from '../outbound/reply.service.js';
import { AiThreadRepository } from './ai-thread.repository.js';
import { InboundMessageRepository } from './inbound-message.repository.js';
import { ownsThread } from './thread.rules.js';

const RESOLVE_PER_CHECK = 200;

/** `pending`: not owned by what is known, but a message sent before it still lacks its ids. */
export type Ownership = 'owned' | 'not_owned' | 'pending';

/**
 * Threads the product owns (Reply Only): every message it sent is recorded from
 * `outbound.message-sent`; its internetMessageId and conversationId are those the outbound
 * sent-details job stored from the Sent Items copy (sendMail answers without them). This
 * service reads them from the outbound module, never from Graph.
 */
@Injectable()
export class ThreadOwnershipService {
  constructor(
    private readonly threads: AiThreadRepository,
    private readonly messages: InboundMessageRepository,
    private readonly replies: ReplyService,
  ) {}

  /** Idempotent (one row per outbound message). */
  async recordSent(event: OutboundMessageSent): Promise<void> {
    await this.threads.record({
      id: randomUUID(),
      workspaceId: event.workspaceId,
      mailboxId: event.mailboxId,
      origin: 'outbound',
      outboundMessageId: event.messageId,
      conversationId: event.conversationId,
    });
  }

  /**
   * Whether the message (received at `receivedAt`) answers a thread the product owns. A reply
   * whose references match nothing yet while a message sent before it still waits for its ids
   * is `pending`: deciding now could miss our own thread.
   */
  async owns(
    mailboxId: string,
    message: { conversationId: string | null; referencedIds: string[]; receivedAt: Date },
  ): Promise<Ownership> {
    const { conversationId, referencedIds } = message;
    if (conversationId && (await this.messages.repliedInConversation(mailboxId, conversationId)))
      return 'owned';
    const pending = await this.resolvePending(mailboxId, message.receivedAt);
    const rows = await this.threads.matching(mailboxId, conversationId, referencedIds);
    const owned = {
      internetMessageIds: new Set(
        rows.flatMap((r) => (r.internetMessageId ? [r.internetMessageId] : [])),
      ),
      conversationIds: new Set(rows.flatMap((r) => (r.conversationId ? [r.conversationId] : []))),
    };
    if (ownsThread({ conversationId, referencedIds }, owned)) return 'owned';
    return pending > 0 && referencedIds.length > 0 ? 'pending' : 'not_owned';
  }

  /**
   * Copies the ids the sent-details job stored onto the owned rows (closing those it gave up
   * on); answers how many rows sent before `sentBefore` still wait for theirs.
   */
  private async resolvePending(mailboxId: string, sentBefore: Date): Promise<number> {
    const rows = await this.threads.unresolved(mailboxId, RESOLVE_PER_CHECK);
    const ids = rows.flatMap((r) => (r.outboundMessageId ? [r.outboundMessageId] : []));
    const details = ids.length ? await this.replies.sentDetailsOf(ids) : new Map();
    let pending = 0;
    for (const row of rows) {
      const found = row.outboundMessageId ? details.get(row.outboundMessageId) : undefined;
      if (found?.state === 'pending') {
        if (row.createdAt <= sentBefore) pending += 1;
        continue;
      }
      await this.threads.resolve(
        row.id,
        found?.state === 'stored'
          ? {
              internetMessageId: found.internetMessageId,
              ...(found.conversationId ? { conversationId: found.conversationId } : {}),
            }
          : {},
      );
    }
    return pending;
  }
}
