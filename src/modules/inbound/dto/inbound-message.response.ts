import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { PageQuery } from '../../../common/http/pagination.js';
import type { InboundMessageRow } from '../inbound-message.repository.js';

export const INBOUND_ACTIONS = [
  'replied',
  'triaged',
  'skipped',
  'failed',
  'escalated',
  'discarded',
  'cancelled',
] as const;

export class InboundMessagesQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'only this mailbox' })
  @IsOptional()
  @IsUUID()
  mailboxId?: string;

  @ApiPropertyOptional({ enum: INBOUND_ACTIONS, description: 'only messages with this action' })
  @IsOptional()
  @IsIn(INBOUND_ACTIONS)
  action?: (typeof INBOUND_ACTIONS)[number];
}

export class InboundMessageResponse {
  @ApiProperty() id: string;
  @ApiProperty() mailboxId: string;
  @ApiProperty({ description: 'immutable Graph message id' }) graphMessageId: string;
  @ApiPropertyOptional({ nullable: true, type: String }) internetMessageId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) conversationId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) from: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) subject: string | null;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    maxLength: 255,
    description:
      "the message's text as Microsoft Graph previews it (bodyPreview: plain text, at most " +
      '255 characters); null until the pipeline has read the message',
  })
  preview: string | null;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'the message in Outlook on the web (Graph webLink; https only)',
  })
  webLink: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) receivedAt: string | null;
  @ApiProperty({ enum: ['pending', 'processing', 'done'] }) status: string;
  @ApiPropertyOptional({ nullable: true, type: String }) category: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) intent: string | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) confidence: number | null;
  @ApiPropertyOptional({ nullable: true, type: String }) summary: string | null;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'rules, openai, rules_fallback',
  })
  provider: string | null;
  @ApiPropertyOptional({ nullable: true, enum: INBOUND_ACTIONS })
  action: string | null;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'escalated: the topic matched (null for a confidence-floor escalation)',
  })
  escalationTopic: string | null;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'the AI reply status (see GET /v1/inbound/replies)',
  })
  replyStatus: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'why this action' })
  reason: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'when routed in Outlook' })
  routedAt: string | null;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'the reply (an outbound message id)',
  })
  replyMessageId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) replyInternetMessageId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) repliedAt: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) processedAt: string | null;
  @ApiProperty() createdAt: string;
}

export class InboundMessageListResponse {
  @ApiProperty({ type: [InboundMessageResponse] }) items: InboundMessageResponse[];
  @ApiPropertyOptional({ nullable: true, type: String }) nextCursor: string | null;
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function toInboundMessageResponse(row: InboundMessageRow): InboundMessageResponse {
  return {
    id: row.id,
    mailboxId: row.mailboxId,
    graphMessageId: row.graphMessageId,
    internetMessageId: row.internetMessageId,
    conversationId: row.conversationId,
    from: row.fromAddress,
    subject: row.subject,
    preview: row.bodyPreview,
    webLink: row.webLink,
    receivedAt: iso(row.receivedAt),
    status: row.stage === 'done' ? 'done' : row.stage === 'pending' ? 'pending' : 'processing',
    category: row.category,
    intent: row.intent,
    confidence: row.confidence,
    summary: row.summary,
    provider: row.provider,
    action: row.action,
    reason: row.reason,
    escalationTopic: row.escalationTopic,
    replyStatus: row.replyStatus,
    routedAt: iso(row.routedAt),
    replyMessageId: row.replySentAt ? row.replyOutboundId : null,
    replyInternetMessageId: row.replyInternetMessageId,
    repliedAt: iso(row.replySentAt),
    processedAt: iso(row.processedAt),
    createdAt: row.createdAt.toISOString(),
  };
}
