import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';

export const PURPOSES = ['new_business', 'support', 'general', 'billing', 'personal'] as const;
export const BEHAVIORS = ['full_auto', 'reply_only', 'triage_only', 'disabled'] as const;

/** PATCH /v1/mailboxes/:id/inbound: the Inbound AI toggle, Mailbox Purpose and AI Behavior. */
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
}
