import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { REPLY_MODES, type ReplyPolicy } from '../reply-policy.rules.js';
import { BusinessHoursRequest, EscalationTopicRequest } from './inbound-settings.request.js';

/** The guard rails a mailbox's AI replies run under (defaults filled in). */
export class ReplyPolicyResponse {
  @ApiProperty() mailboxId: string;
  @ApiProperty({ enum: REPLY_MODES }) replyMode: string;
  @ApiProperty() undoWindowSeconds: number;
  @ApiProperty({ description: 'AI replies per 24 h' }) dailyReplyCap: number;
  @ApiProperty({ type: [EscalationTopicRequest] }) escalationTopics: EscalationTopicRequest[];
  @ApiProperty() confidenceFloor: number;
  @ApiPropertyOptional({ type: BusinessHoursRequest, nullable: true })
  businessHours: BusinessHoursRequest | null;
}

export function toReplyPolicyResponse(mailboxId: string, p: ReplyPolicy): ReplyPolicyResponse {
  return {
    mailboxId,
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
