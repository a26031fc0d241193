import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '../../common/config/app-config.js';
import { Clock } from '../../common/time/clock.js';
import type { MailboxRow } from '../mailbox/mailbox.service.js';
import { ReplyService } from '../outbound/reply.service.js';
import { EscalationStep } from './escalation.step.js';
import type { GraphMessage } from './inbound-graph.client.js';
import { InboundMessageRepository, type InboundMessageRow } from './inbound-message.repository.js';
import { InboundSettingsService } from './inbound-settings.service.js';
import { OwnAddressesService } from './own-addresses.service.js';
import type { ProcessOutcome } from './pipeline.rules.js';
import {
  businessHoursWait,
  initialReplyState,
  lastHumanMessageAt,
  type ReplyPolicy,
} from './reply-policy.rules.js';
import { ReplyStep } from './reply.step.js';
import { referencedIds } from './thread.rules.js';
import { ThreadOwnershipService } from './thread-ownership.service.js';
import { type Category, decideAction, replyProblem } from './triage.rules.js';

const IDENTITY_WAIT_MS = 60_000;
/** How often a reply waits for the ids of a message sent before it (the sent-details job). */
const SENT_DETAILS_WAIT_MS = 30_000;

/**
 * Whether a classified message gets an AI reply (escalation, Reply Only ownership, the
 * mailbox's behavior), the reply slot (daily cap, thread cap, one AI reply in a row), and the
 * reply's start by its mode: a draft for review, a scheduled send after the undo window, or a
 * send inside business hours. Times come from the application clock.
 */
@Injectable()
export class ReplyDecisionStep {
  constructor(
    private readonly messages: InboundMessageRepository,
    private readonly own: OwnAddressesService,
    private readonly ownership: ThreadOwnershipService,
    private readonly reply: ReplyStep,
    private readonly settings: InboundSettingsService,
    private readonly escalations: EscalationStep,
    private readonly replies: ReplyService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async act(
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
    const ownership =
      behavior === 'reply_only' ? await this.ownershipOf(row, message, mailbox) : 'not_owned';
    if (ownership === 'pending') {
      const at = new Date(this.clock.now().getTime() + SENT_DETAILS_WAIT_MS);
      await this.messages.retryAt(row.id, at, false, 'waiting_for_sent_details');
      return 'deferred';
    }
    const decision = decideAction({
      behavior,
      category: row.category as Category,
      confidence: row.confidence ?? 0,
      minConfidence: policy.confidenceFloor,
      ownsThread: ownership === 'owned',
      providerFailed,
    });
    if (decision.act === 'triage')
      return this.finish(
        row,
        'triaged',
        providerFailed ? (row.reason ?? decision.reason) : decision.reason,
      );
    return this.start(row, mailbox, policy);
  }

  /** A reply under way (a resumed one, or one whose undo window or business-hours wait ended). */
  async replyNow(
    row: InboundMessageRow,
    mailbox: MailboxRow,
    resumed: boolean,
  ): Promise<ProcessOutcome> {
    const identityId = await this.own.primaryIdentityId(mailbox.id);
    if (!identityId) {
      const at = new Date(this.clock.now().getTime() + IDENTITY_WAIT_MS);
      await this.messages.retryAt(row.id, at, true, 'waiting_for_identity');
      return 'deferred';
    }
    if (row.replyStatus === 'drafting') return this.reply.draft(row, mailbox, identityId);
    // A person's approval sends at once; an automatic reply waits for business hours.
    if (row.replyStatus !== 'approved' && !row.replyOutboundId) {
      const policy = await this.settings.effective(mailbox.id);
      const wait = businessHoursWait(policy.businessHours, this.clock.now());
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

  /**
   * Takes an AI reply slot (mailbox daily cap, thread cap, one AI reply in a row: under the
   * mailbox's lock), in the state the reply mode starts in, then goes on with it.
   */
  private async start(
    row: InboundMessageRow,
    mailbox: MailboxRow,
    policy: ReplyPolicy,
  ): Promise<ProcessOutcome> {
    const problem = replyProblem(row.replyText);
    if (problem) return this.finish(row, 'triaged', `ai_reply_rejected:${problem}`);
    if (!row.fromAddress || !row.conversationId)
      return this.finish(row, 'triaged', 'not_answerable');
    const now = this.clock.now();
    const start = initialReplyState(policy.replyMode, now, policy.undoWindowSec);
    const refusal = await this.messages.claimReplySlot({
      id: row.id,
      mailboxId: mailbox.id,
      conversationId: row.conversationId,
      marker: randomUUID(),
      text: row.replyText as string,
      mode: policy.replyMode,
      status: start.status,
      dueAt: start.dueAt,
      now,
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

  private ownershipOf(row: InboundMessageRow, message: GraphMessage, mailbox: MailboxRow) {
    return this.ownership.owns(mailbox.id, {
      conversationId: row.conversationId,
      referencedIds: referencedIds(message.internetMessageHeaders ?? []),
      receivedAt: row.receivedAt ?? row.createdAt,
    });
  }

  /** Only looked up when the AI already answered in the conversation (a Graph read). */
  private async lastHumanMessageAt(mailbox: MailboxRow, conversationId: string) {
    const markers = await this.messages.aiReplyMarkers(mailbox.id, conversationId);
    if (markers.length === 0) return null;
    const sent = await this.replies.sentInConversation(mailbox, conversationId);
    return lastHumanMessageAt(sent, new Set(markers));
  }

  private async finish(
    row: InboundMessageRow,
    action: 'skipped' | 'triaged',
    reason: string,
  ): Promise<ProcessOutcome> {
    await this.messages.finish(row.id, { action, reason });
    return action;
  }
}
