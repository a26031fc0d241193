import { Injectable } from '@nestjs/common';
import type { Tx } from '../database/transaction.js';
import type { Prisma } from '../../generated/prisma/client.js';

export interface AuditEntry {
  workspaceId?: string | null;
  actor: { type: 'user' | 'staff' | 'system'; id?: string | null };
  action: string;
  target?: { type: string; id: string };
  /** Small facts only: never tokens, codes or secrets. */
  metadata?: Record<string, string | number | boolean | null>;
}

/** Appends audit rows inside the caller's transaction, so they commit with the change. */
@Injectable()
export class AuditService {
  async record(tx: Tx, entry: AuditEntry): Promise<void> {
    await tx.auditLog.create({
      data: {
        workspaceId: entry.workspaceId ?? null,
        actorType: entry.actor.type,
        actorId: entry.actor.id ?? null,
        action: entry.action,
        targetType: entry.target?.type ?? null,
        targetId: entry.target?.id ?? null,
        metadata: (entry.metadata ?? {}) as Prisma.InputJsonValue,
      },
    });
  }
}
