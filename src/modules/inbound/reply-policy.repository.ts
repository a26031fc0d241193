import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../common/database/prisma.service.js';
import type { Tx } from '../../common/database/transaction.js';
import { Prisma } from '../../generated/prisma/client.js';
import type { BusinessHours, StoredPolicy } from './reply-policy.rules.js';
import type { EscalationTopic } from './escalation.rules.js';

export interface PolicyChange {
  replyMode?: string;
  undoWindowSec?: number;
  dailyReplyCap?: number;
  escalationTopics?: EscalationTopic[] | null;
  confidenceFloor?: number | null;
  businessHours?: BusinessHours | null;
}

const json = (v: unknown) => (v === null ? Prisma.DbNull : (v as Prisma.InputJsonValue));

/** inbound_reply_policy: the guard rails of a mailbox's AI replies (one row per mailbox). */
@Injectable()
export class ReplyPolicyRepository {
  constructor(private readonly prisma: PrismaService) {}

  find(mailboxId: string, tx: Tx = this.prisma): Promise<StoredPolicy | null> {
    return tx.inboundReplyPolicy.findUnique({ where: { mailboxId } });
  }

  /** Creates the row (with `initialMode` unless the change names one) or applies the change. */
  async save(
    tx: Tx,
    key: { mailboxId: string; workspaceId: string },
    change: PolicyChange,
    initialMode: string,
  ): Promise<void> {
    const data = {
      ...(change.replyMode !== undefined ? { replyMode: change.replyMode } : {}),
      ...(change.undoWindowSec !== undefined ? { undoWindowSec: change.undoWindowSec } : {}),
      ...(change.dailyReplyCap !== undefined ? { dailyReplyCap: change.dailyReplyCap } : {}),
      ...(change.escalationTopics !== undefined
        ? { escalationTopics: json(change.escalationTopics) }
        : {}),
      ...(change.confidenceFloor !== undefined ? { confidenceFloor: change.confidenceFloor } : {}),
      ...(change.businessHours !== undefined ? { businessHours: json(change.businessHours) } : {}),
    };
    await tx.inboundReplyPolicy.upsert({
      where: { mailboxId: key.mailboxId },
      create: { ...key, replyMode: initialMode, ...data },
      update: data,
    });
  }
}
