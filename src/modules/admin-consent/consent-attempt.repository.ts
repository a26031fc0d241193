import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../common/database/prisma.service.js';
import type { AdminConsentAttempt } from '../../generated/prisma/client.js';

export type ConsentAttemptRow = AdminConsentAttempt;

/** One-time admin consent links (stored by the hash of their secret). */
@Injectable()
export class ConsentAttemptRepository {
  constructor(private readonly prisma: PrismaService) {}

  create(data: Omit<ConsentAttemptRow, 'consumedAt' | 'createdAt'>): Promise<ConsentAttemptRow> {
    return this.prisma.adminConsentAttempt.create({ data });
  }

  find(id: string): Promise<ConsentAttemptRow | null> {
    return this.prisma.adminConsentAttempt.findUnique({ where: { id } });
  }

  /** Marks the attempt used and returns it; null when unknown, used or expired (replay). */
  async consume(id: string, now: Date): Promise<ConsentAttemptRow | null> {
    const [row] = await this.prisma.adminConsentAttempt.updateManyAndReturn({
      where: { id, consumedAt: null, expiresAt: { gt: now } },
      data: { consumedAt: now },
    });
    return row ?? null;
  }

  async deleteExpiredBefore(cutoff: Date): Promise<number> {
    const { count } = await this.prisma.adminConsentAttempt.deleteMany({
      where: { expiresAt: { lt: cutoff } },
    });
    return count;
  }
}
