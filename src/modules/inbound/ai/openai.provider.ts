import { Injectable, Logger } from '@nestjs/common';
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import { AppConfig } from '../../../common/config/app-config.js';
import {
  type AiProvider,
  AiProviderError,
  type Classification,
  type MessageForAi,
} from './ai-provider.js';
import { AiUsageService } from './ai-usage.service.js';
import { ANSWER_JSON_SCHEMA, answerSchema, systemPrompt, userContent } from './prompt.js';

/**
 * Any OpenAI-compatible chat completions endpoint (AI_BASE_URL, AI_API_KEY, AI_MODEL) through the
 * official client, with structured output (JSON schema) validated again on our side, a timeout,
 * no retries in place, and the workspace's daily caps. Every failure is an AiProviderError.
 */
@Injectable()
export class OpenAiProvider implements AiProvider {
  readonly name = 'openai';
  private readonly logger = new Logger(OpenAiProvider.name);
  private client?: OpenAI;

  constructor(
    private readonly config: AppConfig,
    private readonly usage: AiUsageService,
  ) {}

  async classify(workspaceId: string, message: MessageForAi): Promise<Classification> {
    if (!(await this.usage.reserveCall(workspaceId)))
      throw new AiProviderError('cap_reached', 'daily AI cap of the workspace reached');
    const completion = await this.complete(message);
    await this.usage.addTokens(workspaceId, completion.usage?.total_tokens ?? 0);
    return parseAnswer(completion.choices[0]?.message?.content);
  }

  private async complete(message: MessageForAi) {
    const started = Date.now();
    try {
      return await this.openai().chat.completions.create({
        model: this.config.ai.model as string,
        temperature: 0,
        messages: [
          { role: 'system', content: systemPrompt(message) },
          { role: 'user', content: userContent(message) },
        ],
        response_format: {
          type: 'json_schema',
          json_schema: { name: 'inbound_triage', strict: true, schema: ANSWER_JSON_SCHEMA },
        },
      });
    } catch (error) {
      throw failure(error, Date.now() - started, this.config.ai.timeoutMs);
    }
  }

  private openai(): OpenAI {
    this.client ??= new OpenAI({
      baseURL: this.config.ai.baseUrl,
      apiKey: this.config.ai.apiKey ?? 'unset',
      timeout: this.config.ai.timeoutMs,
      maxRetries: 0,
    });
    return this.client;
  }
}

function parseAnswer(content: string | null | undefined): Classification {
  let json: unknown;
  try {
    json = JSON.parse(content ?? '');
  } catch {
    throw new AiProviderError('malformed', 'the answer is not JSON');
  }
  const parsed = answerSchema.safeParse(json);
  if (!parsed.success)
    throw new AiProviderError('malformed', 'the answer does not match the schema');
  return parsed.data;
}

function failure(error: unknown, elapsedMs: number, timeoutMs: number): AiProviderError {
  if (error instanceof APIConnectionTimeoutError)
    return new AiProviderError('timeout', 'timed out');
  // The client aborts at its timeout; how the abort surfaces differs between runtimes.
  if (error instanceof APIConnectionError && elapsedMs >= timeoutMs * 0.9)
    return new AiProviderError('timeout', 'timed out');
  if (error instanceof APIConnectionError) return new AiProviderError('network', 'no connection');
  if (error instanceof APIError) {
    if (error.status === 429) return new AiProviderError('rate_limited', 'rate limited (429)');
    return new AiProviderError('http', `HTTP ${error.status ?? 'error'}`);
  }
  return new AiProviderError('malformed', error instanceof Error ? error.message : 'unknown');
}
