import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../common/database/prisma.service.js';

/** ai_usage: provider calls and tokens per workspace and UTC day. */
@Injectable()
export class AiUsageRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Counts one call if the day is under both caps (atomic across instances). */
  async reserveCall(
    workspaceId: string,
    day: Date,
    calls: number,
    tokens: number,
  ): Promise<boolean> {
    const rows = await this.prisma.$queryRaw<{ calls: number }[]>`
      INSERT INTO ai_usage (workspace_id, day, calls, tokens) VALUES (${workspaceId}, ${day}::date, 1, 0)
      ON CONFLICT (workspace_id, day) DO UPDATE SET calls = ai_usage.calls + 1
        WHERE ai_usage.calls < ${calls} AND ai_usage.tokens < ${tokens}
      RETURNING calls`;
    return rows.length === 1 && calls > 0 && tokens > 0;
  }

  async addTokens(workspaceId: string, day: Date, tokens: number): Promise<void> {
    await this.prisma.$executeRaw`
      UPDATE ai_usage SET tokens = tokens + ${tokens} WHERE workspace_id = ${workspaceId} AND day = ${day}::date`;
  }
}
