import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../../common/database/prisma.service.js';
import type { Tx } from '../../../common/database/transaction.js';
import type { ConsoleSession, StaffUser } from '../../../generated/prisma/client.js';

export type SessionWithStaff = ConsoleSession & { staffUser: StaffUser };

/** Console sessions, keyed by the SHA-256 of the cookie's token. */
@Injectable()
export class SessionRepository {
  constructor(private readonly prisma: PrismaService) {}

  async insert(session: Omit<ConsoleSession, 'createdAt'> & { createdAt: Date }): Promise<void> {
    await this.prisma.consoleSession.create({ data: session });
  }

  /** The session and its staff user while it has not expired. */
  findLive(id: string, now: Date): Promise<SessionWithStaff | null> {
    return this.prisma.consoleSession.findFirst({
      where: { id, expiresAt: { gt: now } },
      include: { staffUser: true },
    });
  }

  async touch(id: string, lastSeenAt: Date, expiresAt: Date): Promise<void> {
    await this.prisma.consoleSession.updateMany({ where: { id }, data: { lastSeenAt, expiresAt } });
  }

  async delete(id: string, tx: Tx = this.prisma): Promise<number> {
    const { count } = await tx.consoleSession.deleteMany({ where: { id } });
    return count;
  }

  async deleteForStaff(tx: Tx, staffUserId: string): Promise<number> {
    const { count } = await tx.consoleSession.deleteMany({ where: { staffUserId } });
    return count;
  }

  async deleteExpired(now: Date): Promise<number> {
    const { count } = await this.prisma.consoleSession.deleteMany({
      where: { expiresAt: { lte: now } },
    });
    return count;
  }
}
