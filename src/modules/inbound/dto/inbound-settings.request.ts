import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  Validate,
  ValidateIf,
  ValidateNested,
  ValidatorConstraint,
  type ValidationArguments,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { resolveTimeZone } from '../../../common/time/time-zone.js';
import { REPLY_MODES } from '../reply-policy.rules.js';

export const PURPOSES = ['new_business', 'support', 'general', 'billing', 'personal'] as const;
export const BEHAVIORS = ['full_auto', 'reply_only', 'triage_only', 'disabled'] as const;

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

@ValidatorConstraint({ name: 'timeZone' })
class IanaTimeZone implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && value.length <= 64 && resolveTimeZone(value) !== null;
  }
  defaultMessage(): string {
    return 'timeZone must be an IANA (Europe/Berlin) or Windows (W. Europe Standard Time) time zone';
  }
}

@ValidatorConstraint({ name: 'endAfterStart' })
class EndAfterStart implements ValidatorConstraintInterface {
  validate(end: unknown, args?: ValidationArguments): boolean {
    const start = (args?.object as { start?: unknown } | undefined)?.start;
    return typeof end !== 'string' || typeof start !== 'string' || end > start;
  }
  defaultMessage(): string {
    return 'end must be later than start (windows do not span midnight)';
  }
}

export class EscalationTopicRequest {
  @ApiProperty({ example: 'refund', maxLength: 40 })
  @IsString()
  @Matches(/^[a-z0-9_]{1,40}$/, { message: 'topic must be 1-40 of a-z, 0-9, _' })
  topic: string;

  @ApiProperty({ type: [String], example: ['refund', 'money back'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MinLength(2, { each: true })
  @MaxLength(80, { each: true })
  phrases: string[];
}

export class BusinessHoursRequest {
  @ApiProperty({ example: 'Europe/Berlin' })
  @Validate(IanaTimeZone)
  timeZone: string;

  @ApiProperty({ type: [Number], description: 'local weekdays, 0 = Sunday … 6 = Saturday' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(7)
  @ArrayUnique()
  @IsInt({ each: true })
  @Min(0, { each: true })
  @Max(6, { each: true })
  days: number[];

  @ApiProperty({ example: '09:00' })
  @IsString()
  @Matches(HH_MM, { message: 'start must be HH:MM' })
  start: string;

  @ApiProperty({ example: '17:00', description: "HH:MM, exclusive; '24:00' for end of day" })
  @IsString()
  @Matches(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, { message: 'end must be HH:MM' })
  @Validate(EndAfterStart)
  end: string;
}

/** PATCH /v1/mailboxes/:id/inbound: the Inbound AI toggle, purpose, behavior and guard rails. */
export class InboundSettingsRequest {
  @ApiPropertyOptional({ description: 'Inbound AI toggle' })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({ enum: PURPOSES })
  @IsOptional()
  @IsIn(PURPOSES)
  purpose?: (typeof PURPOSES)[number];

  @ApiPropertyOptional({
    enum: BEHAVIORS,
    description:
      'full_auto: AI replies to every conversation a person started; reply_only: AI continues only threads the product owns; triage_only: classify and route, no reply; disabled: no AI processing',
  })
  @IsOptional()
  @IsIn(BEHAVIORS)
  behavior?: (typeof BEHAVIORS)[number];

  @ApiPropertyOptional({
    enum: REPLY_MODES,
    description:
      'send: AI replies go out at once; review (default when the Inbound AI is first enabled): saved as a draft for approve/edit/discard; delayed: sent after the undo window unless cancelled',
  })
  @IsOptional()
  @IsIn(REPLY_MODES)
  replyMode?: (typeof REPLY_MODES)[number];

  @ApiPropertyOptional({ minimum: 30, maximum: 86400, default: 300 })
  @IsOptional()
  @IsInt()
  @Min(30)
  @Max(86400)
  undoWindowSeconds?: number;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 1000,
    default: 50,
    description: 'AI replies per 24 h',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1000)
  dailyReplyCap?: number;

  @ApiPropertyOptional({
    type: [EscalationTopicRequest],
    nullable: true,
    description: 'topics handed to a person; null restores the defaults, [] escalates no topic',
  })
  @IsOptional()
  @ValidateIf((o: InboundSettingsRequest) => o.escalationTopics !== null)
  @IsArray()
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  @Type(() => EscalationTopicRequest)
  escalationTopics?: EscalationTopicRequest[] | null;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 1,
    nullable: true,
    description: 'classifier confidence below which a message is escalated; null: the default',
  })
  @IsOptional()
  @ValidateIf((o: InboundSettingsRequest) => o.confidenceFloor !== null)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  confidenceFloor?: number | null;

  @ApiPropertyOptional({
    type: BusinessHoursRequest,
    nullable: true,
    description:
      'AI replies go out only inside this window (queued until it opens); null: any time',
  })
  @IsOptional()
  @ValidateIf((o: InboundSettingsRequest) => o.businessHours !== null)
  @ValidateNested()
  @Type(() => BusinessHoursRequest)
  businessHours?: BusinessHoursRequest | null;
}
