import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Length, MaxLength, ValidateIf } from 'class-validator';
import { HeaderSafe } from '../../../common/http/text.decorators.js';
import { OmittableNotNull, Trim } from './sender-profile.request.js';

/**
 * PATCH /v1/identities/:id, partial: `senderProfileId` (null unassigns) and/or `displayName`;
 * what is left out stays as it is.
 */
export class AssignIdentityRequest {
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'the sender profile to assign the identity to; null unassigns; absent: unchanged',
  })
  @ValidateIf((_object, value) => value !== null && value !== undefined)
  @IsString()
  @MaxLength(64)
  senderProfileId?: string | null;

  @ApiPropertyOptional({ minLength: 1, maxLength: 256 })
  @OmittableNotNull()
  @Trim()
  @IsString()
  @Length(1, 256)
  @HeaderSafe()
  displayName?: string;
}
