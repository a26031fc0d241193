import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { type PolicySource, REPLY_MODES, type ReplyPolicy } from '../reply-policy.rules.js';
import { BusinessHoursRequest, EscalationTopicRequest } from './inbound-settings.request.js';

/** The guard rails a mailbox's AI replies run under (defaults filled in). */
export class ReplyPolicyResponse {
  @ApiProperty() mailboxId: string;
  @ApiProperty({
    enum: ['stored', 'default', 'legacy'],
    description:
      'stored: the mailbox has its own policy; default: Inbound AI never enabled, the policy ' +
      'enabling it would give (replyMode review); legacy: enabled before reply modes existed, ' +
      'running with replyMode send until a policy is saved',
  })
  source: PolicySource;
  @ApiProperty({ enum: REPLY_MODES }) replyMode: string;
  @ApiProperty() undoWindowSeconds: number;
  @ApiProperty({ description: 'AI replies per 24 h' }) dailyReplyCap: number;
  @ApiProperty({ type: [EscalationTopicRequest] }) escalationTopics: EscalationTopicRequest[];
  @ApiProperty() confidenceFloor: number;
  @ApiPropertyOptional({ type: BusinessHoursRequest, nullable: true })
  businessHours: BusinessHoursRequest | null;
}

export function toReplyPolicyResponse(
  mailboxId: string,
  { source, policy: p }: { source: PolicySource; policy: ReplyPolicy },
): ReplyPolicyResponse {
  return {
    mailboxId,
    source,
    replyMode: p.replyMode,
    undoWindowSeconds: p.undoWindowSec,
    dailyReplyCap: p.dailyReplyCap,
    escalationTopics: p.escalationTopics.map((t) => ({ topic: t.topic, phrases: [...t.phrases] })),
    confidenceFloor: p.confidenceFloor,
    businessHours: p.businessHours
      ? {
          timeZone: p.businessHours.timeZone,
          days: [...p.businessHours.days],
          start: p.businessHours.start,
          end: p.businessHours.end,
        }
      : null,
  };
}
