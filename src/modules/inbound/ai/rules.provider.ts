import { Injectable } from '@nestjs/common';
import type { AiProvider, Classification, MessageForAi } from './ai-provider.js';
import { templateReply } from './reply-templates.js';
import { classifyByRules } from './rules.classifier.js';

/** The built-in deterministic provider (default; no network): keyword rules and templates. */
@Injectable()
export class RulesProvider implements AiProvider {
  readonly name = 'rules';

  classify(_workspaceId: string, message: MessageForAi): Promise<Classification> {
    const found = classifyByRules(message);
    const reply = templateReply(
      message.purpose,
      found.category,
      message.fromName,
      message.mailboxName,
    );
    return Promise.resolve({ ...found, reply });
  }
}
