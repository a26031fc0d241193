import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '../../common/config/app-config.js';
import { graphFailureOf } from '../../common/microsoft/graph-error.js';
import { MailboxService, type MailboxRow } from '../mailbox/mailbox.service.js';
import { plainText, type MessageForAi } from './ai/ai-provider.js';
import { ClassifierService } from './ai/classifier.service.js';
import { InboundGraphClient, type GraphMessage } from './inbound-graph.client.js';
import { InboundMessageRepository, type InboundMessageRow } from './inbound-message.repository.js';
import { loopGuard } from './loop-guard.rules.js';
import { OptOutStep } from './opt-out.step.js';
import { OwnAddressesService } from './own-addresses.service.js';
import { categoryOfSkip } from './pipeline.rules.js';
import { ReplyService } from '../outbound/reply.service.js';
import { EscalationStep } from './escalation.step.js';
import { InboundSettingsService } from './inbound-settings.service.js';
import {
  businessHoursWait,
  initialReplyState,
  lastHumanMessageAt,
  type ReplyPolicy,
} from './reply-policy.rules.js';
import { ReplyStep } from './reply.step.js';
import { referencedIds } from './thread.rules.js';
import { ThreadOwnershipService } from './thread-ownership.service.js';
import {
  type Category,
  decideAction,
  isCategory,
  replyProblem,
  routeFor,
  withCategory,
} from './triage.rules.js';

export type ProcessOutcome =
  'replied' | 'triaged' | 'skipped' | 'failed' | 'deferred' | 'escalated' | 'drafted';

/**
 * One message through the pipeline: read it, loop guard (a hard bounce or an opt-out puts the
 * address on the suppression list; an opt-out is never answered), classify (purpose-aware), route in
 * Outlook, then act by the mailbox's behavior. Each step's result is stored before the next, so
 * a retried message resumes where it stopped (no second classification, no second reply).
 */
@Injectable()
export class MessageProcessor {
  constructor(
    private readonly messages: InboundMessageRepository,
    private readonly mailboxes: MailboxService,
    private readonly graph: InboundGraphClient,
    private readonly classifier: ClassifierService,
    private readonly own: OwnAddressesService,
    private readonly ownership: ThreadOwnershipService,
    private readonly reply: ReplyStep,
    private readonly optOut: OptOutStep,
    private readonly settings: InboundSettingsService,
    private readonly escalations: EscalationStep,
    private readonly replies: ReplyService,
    private readonly config: AppConfig,
  ) {}

  async process(row: InboundMessageRow): Promise<ProcessOutcome> {
    const mailbox = await this.mailboxes.findActive(row.mailboxId);
    if (!mailbox || !mailbox.inboundEnabled || mailbox.inboundBehavior === 'disabled')
      return this.finish(row, 'skipped', 'inbound_disabled');
    if (row.stage === 'replying') return this.replyNow(row, mailbox, true);
    if (row.stage === 'discarding') return this.reply.discardDraft(row, mailbox);
    const message = await this.read(row, mailbox);
    if (!message) return this.finish(row, 'skipped', 'message_deleted');
    row = await this.messages.save(row.id, facts(message));
    const skip = await this.guard(row, message, mailbox);
    if (skip && (await this.optOut.afterSkip(row, message, mailbox, skip))) return 'skipped';
    if (skip) return this.finish(row, 'skipped', skip, categoryOfSkip(skip));
    if (await this.optOut.beforeClassify(row, message, mailbox)) return 'triaged';
    const failure = await this.classify(row, message, mailbox);
    row = await this.messages.save(row.id, failure.saved);
    if (!row.routedAt) row = await this.route(row, message, mailbox);
    return this.act(row, message, mailbox, failure.providerFailed);
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
      ? await this.messages.countRepliesInThread(mailbox.id, row.conversationId)
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

  /** Classifies once: a retried message keeps its stored classification. */
  private async classify(row: InboundMessageRow, message: GraphMessage, mailbox: MailboxRow) {
    if (isCategory(row.category))
      return { saved: {}, providerFailed: row.provider === 'rules_fallback' };
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
    const saved = {
      category: c.category,
      intent: c.intent,
      confidence: c.confidence,
      summary: c.summary,
      provider: result.failure ? `rules_fallback` : result.provider,
      replyText: c.reply,
      reason: result.failure ? `ai_provider_failed:${result.failure}` : null,
    };
    return { saved, providerFailed: Boolean(result.failure) };
  }

  private async route(
    row: InboundMessageRow,
    message: GraphMessage,
    mailbox: MailboxRow,
  ): Promise<InboundMessageRow> {
    const rule = routeFor(row.category as Category, this.config.inbound.routing);
    if (rule.category || rule.flag) {
      const categories = withCategory(message.categories ?? [], rule.category);
      await this.graph.route(mailbox, row.graphMessageId, { categories, flag: rule.flag });
    }
    return this.messages.save(row.id, { routedAt: new Date() });
  }

  private async act(
    row: InboundMessageRow,
    message: GraphMessage,
    mailbox: MailboxRow,
    providerFailed: boolean,
  ): Promise<ProcessOutcome> {
    const behavior = mailbox.inboundBehavior;
    const policy = await this.settings.effective(mailbox.id);
    if (behavior === 'full_auto' || behavior === 'reply_only') {
      const found = this.escalations.check(row, message, policy, providerFailed);
      if (found) return this.escalations.apply(row, mailbox, found);
    }
    const ownsThread =
      behavior === 'reply_only' &&
      (await this.ownership.owns(
        mailbox.id,
        row.conversationId,
        referencedIds(message.internetMessageHeaders ?? []),
      ));
    const decision = decideAction({
      behavior,
      category: row.category as Category,
      confidence: row.confidence ?? 0,
      minConfidence: policy.confidenceFloor,
      ownsThread,
      providerFailed,
    });
    if (decision.act === 'triage')
      return this.finish(
        row,
        'triaged',
        providerFailed ? (row.reason ?? decision.reason) : decision.reason,
      );
    return this.startReply(row, mailbox, policy);
  }

  /**
   * Takes an AI reply slot (mailbox daily cap, thread cap, one AI reply in a row: under the
   * mailbox's lock), in the state the reply mode starts in, then goes on with it.
   */
  private async startReply(
    row: InboundMessageRow,
    mailbox: MailboxRow,
    policy: ReplyPolicy,
  ): Promise<ProcessOutcome> {
    const problem = replyProblem(row.replyText);
    if (problem) return this.finish(row, 'triaged', `ai_reply_rejected:${problem}`);
    if (!row.fromAddress || !row.conversationId)
      return this.finish(row, 'triaged', 'not_answerable');
    const start = initialReplyState(policy.replyMode, new Date(), policy.undoWindowSec);
    const refusal = await this.messages.claimReplySlot({
      id: row.id,
      mailboxId: mailbox.id,
      conversationId: row.conversationId,
      marker: randomUUID(),
      text: row.replyText as string,
      mode: policy.replyMode,
      status: start.status,
      dueAt: start.dueAt,
      dailyCap: policy.dailyReplyCap,
      threadCap: this.config.inbound.maxRepliesPerThreadPerDay,
      lastHumanMessageAt: await this.lastHumanMessageAt(mailbox, row.conversationId),
    });
    if (refusal === 'thread_reply_cap') return this.finish(row, 'skipped', refusal);
    if (refusal) return this.finish(row, 'triaged', refusal);
    const fresh = (await this.messages.findMany([row.id]))[0];
    if (policy.replyMode === 'delayed') {
      await this.messages.retryAt(row.id, start.dueAt, false);
      return 'deferred';
    }
    return this.replyNow(fresh, mailbox, false);
  }

  /** Only looked up when the AI already answered in the conversation (a Graph read). */
  private async lastHumanMessageAt(mailbox: MailboxRow, conversationId: string) {
    const markers = await this.messages.aiReplyMarkers(mailbox.id, conversationId);
    if (markers.length === 0) return null;
    const sent = await this.replies.sentInConversation(mailbox, conversationId);
    return lastHumanMessageAt(sent, new Set(markers));
  }

  private async replyNow(
    row: InboundMessageRow,
    mailbox: MailboxRow,
    resumed: boolean,
  ): Promise<ProcessOutcome> {
    const identityId = await this.own.primaryIdentityId(mailbox.id);
    if (!identityId) {
      await this.messages.retryAt(
        row.id,
        new Date(Date.now() + 60_000),
        true,
        'waiting_for_identity',
      );
      return 'deferred';
    }
    if (row.replyStatus === 'drafting') return this.reply.draft(row, mailbox, identityId);
    // A person's approval sends at once; an automatic reply waits for business hours.
    if (row.replyStatus !== 'approved' && !row.replyOutboundId) {
      const policy = await this.settings.effective(mailbox.id);
      const wait = businessHoursWait(policy.businessHours, new Date());
      if (wait) {
        await this.messages.retryAt(row.id, wait, false, 'waiting_for_business_hours');
        return 'deferred';
      }
    }
    if (row.replyStatus === 'scheduled') {
      const started = await this.messages.transition(
        row.id,
        null,
        { stage: 'replying', replyStatus: 'scheduled' },
        { replyStatus: 'sending' },
      );
      if (!started) return 'skipped';
      row = started;
    }
    return this.reply.run(row, mailbox, identityId, resumed);
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
    receivedAt: message.receivedDateTime ? new Date(message.receivedDateTime) : null,
  };
}
