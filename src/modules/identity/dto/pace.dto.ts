import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { EXCHANGE_DAILY_RECIPIENTS } from '../../../common/pace/pace-settings.js';

/** OpenAPI shapes of the outreach pace (validated by common/pace, which answers the 400 codes). */
export class PaceGapDoc {
  @ApiProperty({ minimum: 0, maximum: 86_400, example: 60 }) minSeconds: number;
  @ApiProperty({ minimum: 0, maximum: 86_400, example: 120, description: '>= minSeconds' })
  maxSeconds: number;
}

export class PaceWindowDoc {
  @ApiProperty({
    type: [Number],
    example: [1, 2, 3, 4, 5],
    description: 'local weekdays, 0 = Sunday … 6 = Saturday',
  })
  days: number[];
  @ApiProperty({ example: '08:00', description: "local 'HH:MM', inclusive" }) start: string;
  @ApiProperty({
    example: '18:00',
    description: "local 'HH:MM' after start, exclusive; '24:00' allowed",
  })
  end: string;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    example: 'Europe/Paris',
    description:
      'IANA zone, or a Windows zone name ("Pacific Standard Time", stored as IANA); null = the mailbox\'s own time zone (read from Microsoft when the connection allows it, else UTC)',
  })
  timeZone?: string | null;
}

export class PaceRampDoc {
  @ApiProperty({ minimum: 1, example: 5, description: 'sends allowed on the first day' })
  start: number;
  @ApiProperty({ minimum: 0, example: 5, description: 'more allowed each following day' })
  step: number;
}

/**
 * Outreach pace of an identity. Counted per identity on the local day of the window's (or the
 * mailbox's) time zone; replies are not paced. Each field null = no such limit.
 */
export class PaceSettingsDoc {
  @ApiPropertyOptional({
    nullable: true,
    type: Number,
    minimum: 1,
    maximum: EXCHANGE_DAILY_RECIPIENTS,
    example: 30,
    description: 'outreach messages a day per identity',
  })
  dailyCap?: number | null;
  @ApiPropertyOptional({
    nullable: true,
    type: PaceGapDoc,
    description: 'each next outreach send waits a random gap in [minSeconds, maxSeconds]',
  })
  gap?: PaceGapDoc | null;
  @ApiPropertyOptional({ nullable: true, type: PaceWindowDoc, description: 'sending window' })
  window?: PaceWindowDoc | null;
  @ApiPropertyOptional({
    nullable: true,
    type: PaceRampDoc,
    description: 'slow start, counted in local days from the identity first send',
  })
  ramp?: PaceRampDoc | null;
}
