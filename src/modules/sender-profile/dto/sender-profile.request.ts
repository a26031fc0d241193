import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsOptional, IsString, Length, MaxLength, ValidateIf } from 'class-validator';
import { HeaderSafe } from '../../../common/http/text.decorators.js';

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
}
