import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { PageQuery } from '../../../common/http/pagination.js';
import { OutboundMessageResponse } from './message.dto.js';

export const MESSAGE_STATUSES = ['queued', 'sending', 'sent', 'failed', 'cancelled'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/** `GET /v1/messages`: newest first, optionally one status and/or one sender profile. */
export class MessageListQuery extends PageQuery {
  @ApiPropertyOptional({ enum: MESSAGE_STATUSES })
  @IsOptional()
  @IsIn(MESSAGE_STATUSES, { message: `status must be one of ${MESSAGE_STATUSES.join(', ')}` })
  status?: MessageStatus;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'senderProfileId must be a sender profile id' })
  senderProfileId?: string;
}

export class OutboundMessageListResponse {
  @ApiProperty({ type: [OutboundMessageResponse] }) items: OutboundMessageResponse[];
  @ApiPropertyOptional({ nullable: true, type: String, description: 'cursor of the next page' })
  nextCursor: string | null;
}
