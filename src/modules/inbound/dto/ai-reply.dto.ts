import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { PageQuery } from '../../../common/http/pagination.js';
import { FreeText } from '../../../common/http/text.decorators.js';
import type { InboundMessageRow } from '../inbound-message.repository.js';
import { REPLY_STATUSES } from '../reply-policy.rules.js';

export class AiRepliesQuery extends PageQuery {
  @ApiPropertyOptional({ enum: REPLY_STATUSES })
  @IsOptional()
  @IsIn(REPLY_STATUSES)
  status?: (typeof REPLY_STATUSES)[number];

  @ApiPropertyOptional({ description: 'only this mailbox' })
  @IsOptional()
  @IsUUID()
  mailboxId?: string;
}

export class ApproveReplyRequest {
  @ApiPropertyOptional({
    maxLength: 5000,
    description: "the edited reply; replaces the draft's body before it is sent",
  })
  @IsOptional()
  @IsString()
  @FreeText()
  @MaxLength(5000)
  @Matches(/\S/, { message: 'text must not be blank' })
  text?: string;
}

export class AiReplyResponse {
  @ApiProperty({ description: 'the inbound message answered (its id)' }) id: string;
  @ApiProperty() mailboxId: string;
  @ApiPropertyOptional({ nullable: true, type: String }) conversationId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'the recipient' })
  to: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'the answered message' })
  subject: string | null;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: "the answered message's sender address (the reply's recipient)",
  })
  from: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: "the sender's name" })
  fromName: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'the answered message' })
  receivedAt: string | null;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    maxLength: 255,
    description:
      "the answered message's text as Microsoft Graph previews it (bodyPreview: plain text, " +
      'at most 255 characters)',
  })
  preview: string | null;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'the answered message in Outlook on the web (Graph webLink; https only)',
  })
  webLink: string | null;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: "the AI's one-line summary of the answered message",
  })
  summary: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) text: string | null;
  @ApiPropertyOptional({ nullable: true, enum: ['send', 'review', 'delayed'] })
  mode: string | null;
  @ApiProperty({ enum: REPLY_STATUSES }) status: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Graph id of the draft' })
  draftId: string | null;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'scheduled: when it goes unless cancelled',
  })
  sendAt: string | null;
  @ApiProperty({ description: 'a person edited the text' }) edited: boolean;
  @ApiPropertyOptional({ nullable: true, type: String }) decidedAt: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'why it waits or ended' })
  reason: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'outbound message id' })
  replyMessageId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) sentAt: string | null;
  @ApiProperty() createdAt: string;
}

export class AiReplyListResponse {
  @ApiProperty({ type: [AiReplyResponse] }) items: AiReplyResponse[];
  @ApiPropertyOptional({ nullable: true, type: String }) nextCursor: string | null;
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** The reply's status; rows made before reply modes have none: derived from the action. */
export function replyStatusOf(row: InboundMessageRow): string {
  if (row.replyStatus) return row.replyStatus;
  if (row.action === 'replied') return 'sent';
  if (row.action === 'failed') return 'failed';
  return 'sending';
}

export function toAiReplyResponse(row: InboundMessageRow): AiReplyResponse {
  const status = replyStatusOf(row);
  return {
    id: row.id,
    mailboxId: row.mailboxId,
    conversationId: row.conversationId,
    to: row.fromAddress,
    subject: row.subject,
    from: row.fromAddress,
    fromName: row.fromName,
    receivedAt: iso(row.receivedAt),
    preview: row.bodyPreview,
    webLink: row.webLink,
    summary: row.summary,
    text: row.replyText,
    mode: row.replyMode,
    status,
    draftId: row.replyDraftId,
    sendAt: status === 'scheduled' ? iso(row.nextAttemptAt) : null,
    edited: row.replyEdited,
    decidedAt: iso(row.replyDecidedAt),
    reason: row.reason,
    replyMessageId: row.replySentAt ? row.replyOutboundId : null,
    sentAt: iso(row.replySentAt),
    createdAt: row.createdAt.toISOString(),
  };
}
