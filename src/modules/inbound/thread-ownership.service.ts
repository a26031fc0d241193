import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import type { OutboundMessageSent } from '../../common/events/outbound.events.js';
import { ReplyService } from '../outbound/reply.service.js';
import { AiThreadRepository } from './ai-thread.repository.js';
import { InboundMessageRepository } from './inbound-message.repository.js';
import { ownsThread } from './thread.rules.js';

const RESOLVE_PER_CHECK = 10;

/**
 * Threads the product owns (Reply Only): every message it sent is recorded from
 * `outbound.message-sent`; its internetMessageId and conversationId are read from the Sent Items
 * copy (by marker) when a decision needs them, since sendMail answers without them.
 */
@Injectable()
export class ThreadOwnershipService {
  private readonly logger = new Logger(ThreadOwnershipService.name);

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

  async owns(
    mailboxId: string,
    conversationId: string | null,
    referencedIds: string[],
  ): Promise<boolean> {
    if (conversationId && (await this.messages.repliedInConversation(mailboxId, conversationId)))
      return true;
    await this.resolvePending(mailboxId);
    const rows = await this.threads.matching(mailboxId, conversationId, referencedIds);
    const owned = {
      internetMessageIds: new Set(
        rows.flatMap((r) => (r.internetMessageId ? [r.internetMessageId] : [])),
      ),
      conversationIds: new Set(rows.flatMap((r) => (r.conversationId ? [r.conversationId] : []))),
    };
    return ownsThread({ conversationId, referencedIds }, owned);
  }

  private async resolvePending(mailboxId: string): Promise<void> {
    for (const row of await this.threads.unresolved(mailboxId, RESOLVE_PER_CHECK)) {
      try {
        const copy = row.outboundMessageId
          ? await this.replies.sentCopyOf(row.outboundMessageId)
          : undefined;
        if (copy?.internetMessageId) await this.threads.resolve(row.id, copy);
        else await this.threads.bumpAttempts(row.id);
      } catch (error) {
        this.logger.warn({ mailboxId, threadId: row.id, err: error }, 'sent copy not readable yet');
        await this.threads.bumpAttempts(row.id);
      }
    }
  }
}
