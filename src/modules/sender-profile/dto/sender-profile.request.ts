import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  Allow,
  IsEmail,
  IsOptional,
  IsString,
  Length,
  MaxLength,
  ValidateIf,
} from 'class-validator';
import { HeaderSafe } from '../../../common/http/text.decorators.js';
import { PaceSettingsDoc } from '../../identity/dto/pace.dto.js';

/** Trims strings so a blank name fails the length check. */
export const Trim = () =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));

/** May be left out, but not sent as null. */
export const OmittableNotNull = () => ValidateIf((_object, value) => value !== undefined);

export class CreateSenderProfileRequest {
  @ApiProperty({ minLength: 1, maxLength: 100, example: 'Outbound – EMEA' })
  @Trim()
  @IsString()
  @Length(1, 100)
  @HeaderSafe()
  name: string;

  @ApiProperty({ minLength: 1, maxLength: 100, example: 'Adele Vance' })
  @Trim()
  @IsString()
  @Length(1, 100)
  @HeaderSafe()
  fromName: string;

  @ApiPropertyOptional({ nullable: true, type: String, example: 'replies@contoso.com' })
  @IsOptional()
  @IsEmail({}, { message: 'replyTo must be an email address' })
  @MaxLength(320)
  @HeaderSafe()
  replyTo?: string | null;
  @ApiPropertyOptional({
    nullable: true,
    type: PaceSettingsDoc,
    description:
      'Outreach pace of its identities. Left out or null: no pace (Exchange limits only). An object turns it on: a field left out takes the recommended value (dailyCap 30, gap 60-120 s, window Mon-Fri 08:00-18:00 in the mailbox time zone, ramp 5 +5 a day), a field set to null turns that limit off.',
  })
  @Allow()
  pace?: unknown;
}

/** PATCH: every field optional; `replyTo: null` clears it. */
export class UpdateSenderProfileRequest {
  @ApiPropertyOptional({ minLength: 1, maxLength: 100 })
  @OmittableNotNull()
  @Trim()
  @IsString()
  @Length(1, 100)
  @HeaderSafe()
  name?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 100 })
  @OmittableNotNull()
  @Trim()
  @IsString()
  @Length(1, 100)
  @HeaderSafe()
  fromName?: string;

  @ApiPropertyOptional({ nullable: true, type: String, description: 'null clears it' })
  @IsOptional()
  @IsEmail({}, { message: 'replyTo must be an email address' })
  @MaxLength(320)
  @HeaderSafe()
  replyTo?: string | null;
  @ApiPropertyOptional({
    nullable: true,
    type: PaceSettingsDoc,
    description:
      'Replaces the pace: null turns it off; an object as on create (left-out fields take the recommended values); absent: unchanged.',
  })
  @Allow()
  pace?: unknown;
}
