import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../common/database/prisma.service.js';
import type { OAuthAttempt, Prisma } from '../../generated/prisma/client.js';

export type AttemptRow = OAuthAttempt;

@Injectable()
export class OAuthAttemptRepository {
  constructor(private readonly prisma: PrismaService) {}

  create(data: Omit<AttemptRow, 'consumedAt' | 'createdAt' | 'oidcSession'>): Promise<AttemptRow> {
    return this.prisma.oAuthAttempt.create({ data });
  }

  async saveOidcSession(id: string, session: Record<string, unknown>): Promise<void> {
    await this.prisma.oAuthAttempt.update({
      where: { id },
      data: { oidcSession: session as Prisma.InputJsonObject },
    });
  }

  /** The attempt when it can still be used (not consumed, not expired). */
  findUsable(id: string, kind: AttemptRow['kind'], now: Date): Promise<AttemptRow | null> {
    return this.prisma.oAuthAttempt.findFirst({
      where: { id, kind, consumedAt: null, expiresAt: { gt: now } },
    });
  }

  /** Marks the attempt used; false when it was already used or expired (replay). */
  async consume(id: string, kind: AttemptRow['kind'], now: Date): Promise<boolean> {
    const { count } = await this.prisma.oAuthAttempt.updateMany({
      where: { id, kind, consumedAt: null, expiresAt: { gt: now } },
      data: { consumedAt: now },
    });
    return count === 1;
  }

  async deleteExpiredBefore(cutoff: Date): Promise<number> {
    const { count } = await this.prisma.oAuthAttempt.deleteMany({
      where: { expiresAt: { lt: cutoff } },
    });
    return count;
  }
}
