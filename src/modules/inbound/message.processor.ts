import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../common/config/app-config.js';
import { graphFailureOf } from '../../common/microsoft/graph-error.js';
import { Clock } from '../../common/time/clock.js';
import { MailboxService, type MailboxRow } from '../mailbox/mailbox.service.js';
import { InboundGraphClient, type GraphMessage } from './inbound-graph.client.js';
import { InboundMessageRepository, type InboundMessageRow } from './inbound-message.repository.js';
import { loopGuard } from './loop-guard.rules.js';
import { OptOutStep } from './opt-out.step.js';
import { OwnAddressesService } from './own-addresses.service.js';
import {
  categoryOfSkip,
  type ProcessOutcome,
  storedPreview,
  storedWebLink,
} from './pipeline.rules.js';
import { ReplyDecisionStep } from './reply-decision.step.js';
import { ReplyStep } from './reply.step.js';
import { TriageStep } from './triage.step.js';
import type { Category } from './triage.rules.js';

/**
 * One message through the pipeline: read it, loop guard (a hard bounce or an opt-out puts the
 * address on the suppression list; an opt-out is never answered), classify (purpose-aware), route in
 * Outlook (TriageStep), then act by the mailbox's behavior (ReplyDecisionStep). Each step's result
 * is stored before the next, so a retried message resumes where it stopped (no second
 * classification, no second reply).
 */
@Injectable()
export class MessageProcessor {
  constructor(
    private readonly messages: InboundMessageRepository,
    private readonly mailboxes: MailboxService,
    private readonly graph: InboundGraphClient,
    private readonly own: OwnAddressesService,
    private readonly triage: TriageStep,
    private readonly decision: ReplyDecisionStep,
    private readonly reply: ReplyStep,
    private readonly optOut: OptOutStep,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async process(row: InboundMessageRow): Promise<ProcessOutcome> {
    const mailbox = await this.mailboxes.findActive(row.mailboxId);
    if (!mailbox || !mailbox.inboundEnabled || mailbox.inboundBehavior === 'disabled')
      return this.finish(row, 'skipped', 'inbound_disabled');
    if (row.stage === 'replying') return this.decision.replyNow(row, mailbox, true);
    if (row.stage === 'discarding') return this.reply.discardDraft(row, mailbox);
    const message = await this.read(row, mailbox);
    if (!message) return this.finish(row, 'skipped', 'message_deleted');
    row = await this.messages.save(row.id, facts(message));
    const skip = await this.guard(row, message, mailbox);
    if (skip && (await this.optOut.afterSkip(row, message, mailbox, skip))) return 'skipped';
    if (skip) return this.finish(row, 'skipped', skip, categoryOfSkip(skip));
    if (await this.optOut.beforeClassify(row, message, mailbox)) return 'triaged';
    const classified = await this.triage.classify(row, message, mailbox);
    row = await this.triage.route(classified.row, message, mailbox);
    return this.decision.act(row, message, mailbox, classified.providerFailed);
  }

  private async read(row: InboundMessageRow, mailbox: MailboxRow): Promise<GraphMessage | null> {
    try {
      return await this.graph.getMessage(mailbox, row.graphMessageId);
    } catch (error) {
      if (graphFailureOf(error).status === 404) return null;
      throw error;
    }
  }

  private async guard(
    row: InboundMessageRow,
    message: GraphMessage,
    mailbox: MailboxRow,
  ): Promise<string | null> {
    const own = new Set(await this.own.of(mailbox.workspaceId));
    own.add(mailbox.email.toLowerCase());
    const repliesInThreadToday = row.conversationId
      ? await this.messages.countRepliesInThread(mailbox.id, row.conversationId, this.clock.now())
      : 0;
    const result = loopGuard({
      from: row.fromAddress,
      headers: message.internetMessageHeaders ?? [],
      subject: row.subject ?? '',
      ownAddresses: own,
      repliesInThreadToday,
      maxRepliesPerThreadPerDay: this.config.inbound.maxRepliesPerThreadPerDay,
    });
    return result.pass ? null : result.reason;
  }

  private async finish(
    row: InboundMessageRow,
    action: 'skipped' | 'triaged',
    reason: string,
    category?: Category | null,
  ): Promise<ProcessOutcome> {
    await this.messages.finish(row.id, { action, reason, ...(category ? { category } : {}) });
    return action;
  }
}

function facts(message: GraphMessage) {
  const from = message.from?.emailAddress ?? message.sender?.emailAddress;
  return {
    internetMessageId: message.internetMessageId ?? null,
    conversationId: message.conversationId ?? null,
    fromAddress: from?.address?.toLowerCase() ?? null,
    fromName: from?.name && from.name !== from.address ? from.name.slice(0, 200) : null,
    subject: (message.subject ?? '').slice(0, 500),
    bodyPreview: storedPreview(message.bodyPreview),
    webLink: storedWebLink(message.webLink),
    receivedAt: message.receivedDateTime ? new Date(message.receivedDateTime) : null,
  };
}
