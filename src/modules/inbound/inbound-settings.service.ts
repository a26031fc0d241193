import { Injectable, Logger } from '@nestjs/common';
import { AuditService } from '../../common/audit/audit.service.js';
import type { Actor } from '../../common/auth/actor.js';
import { AppConfig } from '../../common/config/app-config.js';
import { PrismaService } from '../../common/database/prisma.service.js';
import {
  type InboundSettings,
  MailboxService,
  type MailboxRow,
} from '../mailbox/mailbox.service.js';
import type { InboundSettingsRequest } from './dto/inbound-settings.request.js';
import { ReplyPolicyRepository, type PolicyChange } from './reply-policy.repository.js';
import {
  effectivePolicy,
  initialReplyMode,
  type PolicySource,
  type ReplyPolicy,
  reportedPolicy,
} from './reply-policy.rules.js';
import { SubscriptionRepository } from './subscription.repository.js';

/** Inbound AI settings of a mailbox; enabling starts delivery, disabling stops it. */
@Injectable()
export class InboundSettingsService {
  private readonly logger = new Logger(InboundSettingsService.name);

  constructor(
    private readonly mailboxes: MailboxService,
    private readonly subscriptions: SubscriptionRepository,
    private readonly policies: ReplyPolicyRepository,
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  async update(
    actor: Actor,
    mailboxId: string,
    change: InboundSettingsRequest,
  ): Promise<MailboxRow> {
    const mailbox = await this.mailboxes.get(actor, mailboxId);
    const next: InboundSettings = {
      enabled: change.enabled ?? mailbox.inboundEnabled,
      purpose: change.purpose ?? mailbox.inboundPurpose,
      behavior: change.behavior ?? mailbox.inboundBehavior,
    };
    const deliver = next.enabled && next.behavior !== 'disabled';
    const now = new Date();
    await this.prisma.$transaction(async (tx) => {
      await this.mailboxes.setInbound(tx, mailbox.id, next);
      // A mailbox first enabled now starts in review; one enabled before reply modes keeps send.
      const initialMode = initialReplyMode(mailbox.inboundEnabled);
      const key = { mailboxId: mailbox.id, workspaceId: actor.workspaceId };
      await this.policies.save(tx, key, policyChange(change), initialMode);
      if (deliver) {
        const row = {
          mailboxId: mailbox.id,
          workspaceId: actor.workspaceId,
          mode: this.config.inbound.delivery,
        };
        await this.subscriptions.start(tx, row, now);
      } else await this.subscriptions.stop(tx, mailbox.id, now);
      await this.audit.record(tx, {
        workspaceId: actor.workspaceId,
        actor: { type: 'user', id: actor.userId },
        action: 'mailbox.inbound_updated',
        target: { type: 'mailbox', id: mailbox.id },
        metadata: { ...next, delivering: deliver, ...policyAudit(change) },
      });
    });
    if (deliver && mailbox.status === 'needs_reauth')
      await this.subscriptions.pause(mailbox.id, 'mailbox_needs_reauth');
    this.logger.log({ mailboxId, ...next, delivering: deliver }, 'inbound settings updated');
    return this.mailboxes.get(actor, mailboxId);
  }

  /**
   * The guard rails a mailbox's AI replies run under, or for a mailbox never enabled, those
   * enabling it would give (404 across workspaces).
   */
  async policyOf(
    actor: Actor,
    mailboxId: string,
  ): Promise<{ source: PolicySource; policy: ReplyPolicy }> {
    const mailbox = await this.mailboxes.get(actor, mailboxId);
    return reportedPolicy(
      await this.policies.find(mailbox.id),
      mailbox.inboundEnabled,
      this.config.inbound.minReplyConfidence,
    );
  }

  async effective(mailboxId: string): Promise<ReplyPolicy> {
    return effectivePolicy(
      await this.policies.find(mailboxId),
      this.config.inbound.minReplyConfidence,
    );
  }
}

function policyChange(change: InboundSettingsRequest): PolicyChange {
  return {
    replyMode: change.replyMode,
    undoWindowSec: change.undoWindowSeconds,
    dailyReplyCap: change.dailyReplyCap,
    escalationTopics:
      change.escalationTopics === undefined
        ? undefined
        : (change.escalationTopics?.map((t) => ({
            topic: t.topic,
            phrases: [...new Set(t.phrases.map((p) => p.trim().toLowerCase()))],
          })) ?? null),
    confidenceFloor: change.confidenceFloor,
    businessHours:
      change.businessHours === undefined
        ? undefined
        : change.businessHours && {
            timeZone: change.businessHours.timeZone,
            days: [...change.businessHours.days].sort(),
            start: change.businessHours.start,
            end: change.businessHours.end,
          },
  };
}

/** The guard-rail fields a change set (for the audit log; flat scalars only). */
function policyAudit(
  change: InboundSettingsRequest,
): Record<string, string | number | boolean | null> {
  const audit: Record<string, string | number | boolean | null> = {};
  if (change.replyMode !== undefined) audit.replyMode = change.replyMode;
  if (change.undoWindowSeconds !== undefined) audit.undoWindowSeconds = change.undoWindowSeconds;
  if (change.dailyReplyCap !== undefined) audit.dailyReplyCap = change.dailyReplyCap;
  if (change.confidenceFloor !== undefined) audit.confidenceFloor = change.confidenceFloor;
  if (change.escalationTopics !== undefined)
    audit.escalationTopics = change.escalationTopics?.map((t) => t.topic).join(',') ?? null;
  if (change.businessHours !== undefined)
    audit.businessHours = change.businessHours ? JSON.stringify(change.businessHours) : null;
  return audit;
}
