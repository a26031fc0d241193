import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, MaxLength } from 'class-validator';
import { HeaderSafe } from '../../../common/http/text.decorators.js';
import type { ListedIdentity } from '../identity.repository.js';
import { storedOverride } from '../../../common/pace/pace-settings.js';
import { PaceSettingsDoc } from './pace.dto.js';

export class AddSendAsRequest {
  @ApiProperty({ example: 'support@contoso.com' })
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(320)
  @HeaderSafe()
  email: string;

  @ApiPropertyOptional({ example: 'Contoso Support' })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  @HeaderSafe()
  displayName?: string;
}

export class IdentityResponse {
  @ApiProperty() id: string;
  @ApiProperty() mailboxId: string;
  @ApiProperty() email: string;
  @ApiPropertyOptional({ nullable: true, type: String }) displayName: string | null;
  @ApiProperty({ enum: ['primary', 'alias', 'send_as'] }) type: string;
  @ApiProperty({ enum: ['discovered', 'manual'] }) source: string;
  @ApiProperty({ enum: ['active', 'inactive', 'send_as_denied'] }) status: string;
  @ApiPropertyOptional({ nullable: true, type: String }) verifiedAt: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) senderProfileId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) lastSeenAt: string | null;
  @ApiPropertyOptional({
    nullable: true,
    type: PaceSettingsDoc,
    description:
      "This identity's own pace values; a missing field inherits its sender profile's pace; null = all inherited",
  })
  pace: PaceSettingsDoc | null;
  @ApiProperty() createdAt: string;
}

export function toIdentityResponse(row: ListedIdentity): IdentityResponse {
  return {
    id: row.id,
    mailboxId: row.mailboxId,
    email: row.email,
    displayName: row.displayName,
    type: row.type,
    source: row.source,
    status: row.status,
    verifiedAt: row.verifiedAt?.toISOString() ?? null,
    senderProfileId: row.senderProfileId,
    lastSeenAt: row.lastSeenAt?.toISOString() ?? null,
    pace: storedOverride(row.paceOverride),
    createdAt: row.createdAt.toISOString(),
  };
}
