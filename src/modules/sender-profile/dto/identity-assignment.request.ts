import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsString, Length, MaxLength, ValidateIf } from 'class-validator';
import { HeaderSafe } from '../../../common/http/text.decorators.js';
import { OmittableNotNull, Trim } from './sender-profile.request.js';

/** PATCH /v1/identities/:id: `senderProfileId` must be sent; null unassigns. */
export class AssignIdentityRequest {
  @ApiProperty({ nullable: true, type: String, description: 'null unassigns the identity' })
  @ValidateIf((_object, value) => value !== null)
  @IsDefined({ message: 'senderProfileId is required (null unassigns)' })
  @IsString()
  @MaxLength(64)
  senderProfileId: string | null;

  @ApiPropertyOptional({ minLength: 1, maxLength: 256 })
  @OmittableNotNull()
  @Trim()
  @IsString()
  @Length(1, 256)
  @HeaderSafe()
  displayName?: string;
}
