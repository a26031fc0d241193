import { Injectable } from '@nestjs/common';
import type { MailboxRow } from '../mailbox/mailbox.service.js';
import { plainText } from './ai/ai-provider.js';
import { type Escalation, escalationFor } from './escalation.rules.js';
import { InboundGraphClient, type GraphMessage } from './inbound-graph.client.js';
import { InboundMessageRepository, type InboundMessageRow } from './inbound-message.repository.js';
import type { ReplyPolicy } from './reply-policy.rules.js';
import { isCategory, isConversational, withCategory } from './triage.rules.js';

/** The Outlook category of an escalated message (with the follow-up flag). */
export const ESCALATED_CATEGORY = 'AI: Needs a person';

/**
 * A conversational message in a replying mailbox that names an escalation topic (or is
 * classified below the confidence floor) goes to a person: flagged and categorised in the
 * mailbox, stored `escalated` with the topic and reason, never auto-replied.
 */
@Injectable()
export class EscalationStep {
  constructor(
    private readonly graph: InboundGraphClient,
    private readonly messages: InboundMessageRepository,
  ) {}

  check(
    row: InboundMessageRow,
    message: GraphMessage,
    policy: ReplyPolicy,
    providerFailed: boolean,
  ): Escalation | null {
    if (!isCategory(row.category) || !isConversational(row.category)) return null;
    return escalationFor({
      subject: row.subject ?? '',
      bodyText: plainText(message.body),
      topics: policy.escalationTopics,
      confidence: row.confidence ?? 0,
      confidenceFloor: policy.confidenceFloor,
      providerFailed,
    });
  }

  /** Flag + category (kept beside the user's own and the routing one; PATCH repeats safely). */
  async apply(
    row: InboundMessageRow,
    mailbox: MailboxRow,
    found: Escalation,
  ): Promise<'escalated'> {
    const current = await this.graph.getMessage(mailbox, row.graphMessageId);
    const categories = withCategory(current.categories ?? [], ESCALATED_CATEGORY);
    await this.graph.route(mailbox, row.graphMessageId, { categories, flag: true });
    await this.messages.finish(row.id, {
      action: 'escalated',
      reason: found.reason,
      escalationTopic: found.topic,
    });
    return 'escalated';
  }
}
