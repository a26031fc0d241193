import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../../common/config/app-config.js';
import { AiUsageRepository } from '../ai-usage.repository.js';

/** Daily per-workspace caps on provider calls and tokens (UTC day, shared by all instances). */
@Injectable()
export class AiUsageService {
  constructor(
    private readonly usage: AiUsageRepository,
    private readonly config: AppConfig,
  ) {}

  /** Counts a call if today's caps allow one. */
  reserveCall(workspaceId: string): Promise<boolean> {
    return this.usage.reserveCall(
      workspaceId,
      today(),
      this.config.ai.dailyCallsPerWorkspace,
      this.config.ai.dailyTokensPerWorkspace,
    );
  }

  async addTokens(workspaceId: string, tokens: number): Promise<void> {
    if (tokens > 0) await this.usage.addTokens(workspaceId, today(), tokens);
  }
}

function today(): Date {
  return new Date(new Date().toISOString().slice(0, 10));
}
