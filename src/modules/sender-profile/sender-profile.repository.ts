import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../common/database/prisma.service.js';
import type { Tx } from '../../common/database/transaction.js';
import { Prisma, type SenderProfile } from '../../generated/prisma/client.js';
import type { PaceSettings } from '../../common/pace/pace-settings.js';

export type SenderProfileRow = SenderProfile;

export interface SenderProfileFields {
  name: string;
  fromName: string;
  replyTo: string | null;
  /** null = no outreach pace. */
  pace: PaceSettings | null;
}

function paceColumn(pace: PaceSettings | null | undefined) {
  if (pace === undefined) return {};
  return { pace: pace === null ? Prisma.DbNull : (pace as unknown as Prisma.InputJsonValue) };
}

@Injectable()
export class SenderProfileRepository {
  constructor(private readonly prisma: PrismaService) {}

  create(tx: Tx, workspaceId: string, data: SenderProfileFields): Promise<SenderProfileRow> {
    const { pace, ...rest } = data;
    return tx.senderProfile.create({
      data: { id: randomUUID(), workspaceId, ...rest, ...paceColumn(pace) },
    });
  }

  findInWorkspace(workspaceId: string, id: string): Promise<SenderProfileRow | null> {
    return this.prisma.senderProfile.findFirst({ where: { id, workspaceId } });
  }

  findById(id: string): Promise<SenderProfileRow | null> {
    return this.prisma.senderProfile.findUnique({ where: { id } });
  }

  listInWorkspace(workspaceId: string, limit: number, afterId?: string) {
    return this.prisma.senderProfile.findMany({
      where: { workspaceId, ...(afterId ? { id: { gt: afterId } } : {}) },
      orderBy: { id: 'asc' },
      take: limit,
    });
  }

  /** Row-locks the workspace's profile for the transaction; false when there is none. */
  async lockInWorkspace(tx: Tx, workspaceId: string, id: string): Promise<boolean> {
    const rows = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM sender_profile WHERE id = ${id} AND workspace_id = ${workspaceId} FOR UPDATE`;
    return rows.length === 1;
  }

  update(tx: Tx, id: string, data: Partial<SenderProfileFields>): Promise<SenderProfileRow> {
    const { pace, ...rest } = data;
    return tx.senderProfile.update({ where: { id }, data: { ...rest, ...paceColumn(pace) } });
  }

  async delete(tx: Tx, id: string): Promise<void> {
    await tx.senderProfile.delete({ where: { id } });
  }
}
