import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, MaxLength } from 'class-validator';
import { FreeText } from '../../../common/http/text.decorators.js';
import type { SuppressionRow } from '../suppression.repository.js';
import { SUPPRESSION_REASONS } from '../suppression.rules.js';

export class AddSuppressionRequest {
  @ApiProperty({ format: 'email', maxLength: 320 })
  @IsString()
  @MaxLength(320)
  @IsEmail({}, { message: 'email must be an email address' })
  email: string;

  @ApiPropertyOptional({ maxLength: 500, description: 'why, for the team' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  @FreeText()
  note?: string;
}

export class SuppressionResponse {
  @ApiProperty() id: string;
  @ApiProperty() email: string;
  @ApiProperty({ enum: SUPPRESSION_REASONS }) reason: string;
  @ApiProperty({ description: '`api`, or `inbound:<inbound message id>`' }) source: string;
  @ApiPropertyOptional({ nullable: true, type: String }) note: string | null;
  @ApiProperty() createdAt: string;
}

export class SuppressionListResponse {
  @ApiProperty({ type: [SuppressionResponse] }) items: SuppressionResponse[];
  @ApiPropertyOptional({ nullable: true, type: String, description: 'cursor of the next page' })
  nextCursor: string | null;
}

export function toSuppressionResponse(row: SuppressionRow): SuppressionResponse {
  return {
    id: row.id,
    email: row.email,
    reason: row.reason,
    source: row.source,
    note: row.note,
    createdAt: row.createdAt.toISOString(),
  };
}
