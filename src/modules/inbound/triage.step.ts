import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../common/config/app-config.js';
import type { MailboxRow } from '../mailbox/mailbox.service.js';
import { plainText, type MessageForAi } from './ai/ai-provider.js';
import { ClassifierService } from './ai/classifier.service.js';
import { InboundGraphClient, type GraphMessage } from './inbound-graph.client.js';
import { InboundMessageRepository, type InboundMessageRow } from './inbound-message.repository.js';
import { type Category, isCategory, routeFor, withCategory } from './triage.rules.js';

/**
 * Classification (purpose-aware, once: a retried message keeps its stored classification) and
 * routing in Outlook (category and flag, once: `routedAt` is stored after it).
 */
@Injectable()
export class TriageStep {
  constructor(
    private readonly messages: InboundMessageRepository,
    private readonly graph: InboundGraphClient,
    private readonly classifier: ClassifierService,
    private readonly config: AppConfig,
  ) {}

  /** The row with its classification stored, and whether the AI provider failed. */
  async classify(
    row: InboundMessageRow,
    message: GraphMessage,
    mailbox: MailboxRow,
  ): Promise<{ row: InboundMessageRow; providerFailed: boolean }> {
    if (isCategory(row.category)) return { row, providerFailed: row.provider === 'rules_fallback' };
    const input: MessageForAi = {
      purpose: mailbox.inboundPurpose,
      fromAddress: row.fromAddress as string,
      fromName: row.fromName,
      subject: row.subject ?? '',
      bodyText: plainText(message.body),
      mailboxName: mailbox.displayName?.trim() ?? '',
    };
    const result = await this.classifier.classify(mailbox.workspaceId, input);
    const c = result.classification;
    const saved = await this.messages.save(row.id, {
      category: c.category,
      intent: c.intent,
      confidence: c.confidence,
      summary: c.summary,
      provider: result.failure ? `rules_fallback` : result.provider,
      replyText: c.reply,
      reason: result.failure ? `ai_provider_failed:${result.failure}` : null,
    });
    return { row: saved, providerFailed: Boolean(result.failure) };
  }

  async route(
    row: InboundMessageRow,
    message: GraphMessage,
    mailbox: MailboxRow,
  ): Promise<InboundMessageRow> {
    if (row.routedAt) return row;
    const rule = routeFor(row.category as Category, this.config.inbound.routing);
    if (rule.category || rule.flag) {
      const categories = withCategory(message.categories ?? [], rule.category);
      await this.graph.route(mailbox, row.graphMessageId, { categories, flag: rule.flag });
    }
    return this.messages.save(row.id, { routedAt: new Date() });
  }
}
