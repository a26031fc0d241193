import { ApiPropertyOptional } from '@nestjs/swagger';
import { Allow, IsString, Length, MaxLength, ValidateIf } from 'class-validator';
import { HeaderSafe } from '../../../common/http/text.decorators.js';
import { PaceSettingsDoc } from '../../identity/dto/pace.dto.js';
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

  @ApiPropertyOptional({
    nullable: true,
    type: PaceSettingsDoc,
    description:
      "This identity's own pace values over its sender profile's: a field left out or null inherits; pace: null clears every override; absent: unchanged. Replaces the previous override.",
  })
  @Allow()
  pace?: unknown;
}
