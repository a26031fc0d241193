import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../../common/config/app-config.js';
import { AiProviderError, type Classification, type MessageForAi } from './ai-provider.js';
import { OpenAiProvider } from './openai.provider.js';
import { RulesProvider } from './rules.provider.js';

export interface ClassifyResult {
  classification: Classification;
  /** rules, openai, or rules_fallback (the configured provider failed). */
  provider: string;
  /** Why the configured provider failed: the message is then triaged, never answered. */
  failure?: string;
}

/** The configured AI provider, with the rules provider as the fallback that only triages. */
@Injectable()
export class ClassifierService {
  private readonly logger = new Logger(ClassifierService.name);

  constructor(
    private readonly config: AppConfig,
    private readonly rules: RulesProvider,
    private readonly openai: OpenAiProvider,
  ) {}

  async classify(workspaceId: string, message: MessageForAi): Promise<ClassifyResult> {
    if (this.config.ai.provider === 'rules')
      return { classification: await this.rules.classify(workspaceId, message), provider: 'rules' };
    try {
      return {
        classification: await this.openai.classify(workspaceId, message),
        provider: 'openai',
      };
    } catch (error) {
      const kind = error instanceof AiProviderError ? error.kind : 'unknown';
      this.logger.warn(
        { workspaceId, kind },
        'AI provider failed: triaging with the rules provider',
      );
      const classification = await this.rules.classify(workspaceId, message);
      return { classification, provider: 'rules_fallback', failure: kind };
    }
  }
}
