import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../common/database/prisma.service.js';
import type { AiThread } from '../../generated/prisma/client.js';

export type AiThreadRow = AiThread;

export interface NewAiThread {
  id: string;
  workspaceId: string;
  mailboxId: string;
  origin: 'outbound' | 'reply';
  outboundMessageId?: string | null;
  internetMessageId?: string | null;
  conversationId?: string | null;
  resolvedAt?: Date | null;
}

/** ai_thread: messages the product sent, so replies to them are recognised (Reply Only). */
@Injectable()
export class AiThreadRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Idempotent per outbound message. */
  async record(row: NewAiThread): Promise<void> {
    await this.prisma.aiThread.createMany({ data: [row], skipDuplicates: true });
  }

  /** Owned rows matching the conversation or one of the referenced message ids. */
  matching(
    mailboxId: string,
    conversationId: string | null,
    ids: string[],
  ): Promise<AiThreadRow[]> {
    const or = [
      ...(conversationId ? [{ conversationId }] : []),
      ...(ids.length ? [{ internetMessageId: { in: ids } }] : []),
    ];
    if (or.length === 0) return Promise.resolve([]);
    return this.prisma.aiThread.findMany({ where: { mailboxId, OR: or }, take: 50 });
  }

  /** Sent messages whose ids were not copied yet from the outbound message (newest first). */
  unresolved(mailboxId: string, limit: number): Promise<AiThreadRow[]> {
    return this.prisma.aiThread.findMany({
      where: { mailboxId, resolvedAt: null },
      orderBy: { createdAt: 'desc' },
      take: limit,
    });
  }

  async resolve(
    id: string,
    ids: { internetMessageId?: string; conversationId?: string },
  ): Promise<void> {
    await this.prisma.aiThread.update({
      where: { id },
      data: { ...ids, resolvedAt: new Date() },
    });
  }
}
