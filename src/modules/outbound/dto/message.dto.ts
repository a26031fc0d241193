import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  MinLength,
} from 'class-validator';
import { FreeText, HeaderSafe } from '../../../common/http/text.decorators.js';
import type { Recipient, RecipientInput } from '../outbound.rules.js';
import type { ShownMessage } from '../outbound.repository.js';
import { WAITING_REASONS } from '../pace.rules.js';
import { SUPPRESSION_REASONS, type SuppressedRecipient } from '../suppression.rules.js';
import { IsRecipientList, MAX_RECIPIENT_NAME } from './recipients.validator.js';

/** Each recipient: an address, or `{email, name?}` and nothing else. */
const RECIPIENTS: ApiPropertyOptions = {
  description: 'Addresses, each a string or {email, name?}',
  example: ['ann@example.com', { email: 'bob@example.com', name: 'Bob' }],
  type: 'array',
  items: {
    oneOf: [
      { type: 'string', format: 'email', maxLength: 320 },
      {
        type: 'object',
        required: ['email'],
        additionalProperties: false,
        properties: {
          email: { type: 'string', format: 'email', maxLength: 320 },
          name: { type: 'string', maxLength: MAX_RECIPIENT_NAME, description: 'one line' },
        },
      },
    ],
  },
};
export const MAX_BODY = 512 * 1024;

/** `cc: null` means no cc, as if left out. */
const NullAsAbsent = () =>
  Transform(({ value }: { value: unknown }) => (value === null ? undefined : value));

export class SendMessageRequest {
  @ApiProperty()
  @IsUUID('all', { message: 'senderProfileId must be a sender profile id' })
  senderProfileId: string;
  @ApiProperty(RECIPIENTS) @IsArray() @ArrayMinSize(1) @IsRecipientList() to: RecipientInput[];
  @ApiPropertyOptional(RECIPIENTS)
  @NullAsAbsent()
  @IsOptional()
  @IsArray()
  @IsRecipientList()
  cc?: RecipientInput[];
  @ApiPropertyOptional(RECIPIENTS)
  @NullAsAbsent()
  @IsOptional()
  @IsArray()
  @IsRecipientList()
  bcc?: RecipientInput[];
  @ApiProperty({ maxLength: 998 })
  @IsString()
  @MinLength(1)
  @MaxLength(998)
  @HeaderSafe()
  subject: string;
  @ApiPropertyOptional({ maxLength: MAX_BODY })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_BODY)
  @FreeText()
  text?: string;
  @ApiPropertyOptional({ maxLength: MAX_BODY })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_BODY)
  @FreeText()
  html?: string;
  @ApiPropertyOptional({
    default: false,
    description:
      'A reply to someone who wrote (human or AI): claimed and booked before outreach of the same sender profile, and not held back by its outreach pace (daily cap, ramp, gap, sending window); Exchange limits still apply',
  })
  @NullAsAbsent()
  @IsOptional()
  @IsBoolean()
  isReply?: boolean;
  @ApiPropertyOptional({
    maxLength: 998,
    example: '<CAB1234@mail.example.com>',
    description:
      'internetMessageId of the message answered (stored for reference; only with isReply)',
  })
  @NullAsAbsent()
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(998)
  @HeaderSafe()
  inReplyTo?: string;
}

/** A recipient left out because the address is on the workspace's suppression list. */
export class SuppressedRecipientResponse {
  @ApiProperty() email: string;
  @ApiProperty({ enum: ['to', 'cc', 'bcc'] }) field: string;
  @ApiProperty({ enum: SUPPRESSION_REASONS }) reason: string;
}

export class RecipientResponse {
  @ApiProperty({ format: 'email' }) email: string;
  @ApiPropertyOptional() name?: string;
}

export class OutboundMessageResponse {
  @ApiProperty() id: string;
  @ApiProperty() senderProfileId: string;
  @ApiProperty({ enum: ['queued', 'sending', 'sent', 'failed', 'cancelled'] }) status: string;
  @ApiProperty() attempts: number;
  @ApiPropertyOptional({ nullable: true, type: String }) identityId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) fromEmail: string | null;
  @ApiProperty() recipientCount: number;
  @ApiProperty({ type: [RecipientResponse], description: 'The `to` recipients (as sent)' })
  to: RecipientResponse[];
  @ApiProperty({ type: [RecipientResponse] }) cc: RecipientResponse[];
  @ApiProperty({ type: [RecipientResponse] }) bcc: RecipientResponse[];
  @ApiProperty() subject: string;
  @ApiPropertyOptional({ nullable: true, type: String }) errorCode: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) errorMessage: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description:
      "Message-ID of the sent message (RFC 5322, e.g. `<…@…>`); replies carry it in In-Reply-To and References. Null until the message is sent and its copy has been read from the mailbox's Sent Items (Microsoft's sendMail answers without it): usually within a few minutes of `sentAt`; stays null if the copy is never found.",
    example: '<PH0PR11MB4981C2A1@PH0PR11MB4981.namprd11.prod.outlook.com>',
  })
  internetMessageId: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description:
      "Microsoft's conversation (thread) id of the sent message; replies in Outlook share it. Read from the Sent Items copy together with internetMessageId (null until then).",
  })
  conversationId: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty() nextAttemptAt: string;
  @ApiPropertyOptional({ nullable: true, type: String }) sentAt: string | null;
  @ApiProperty({ description: 'marked as a reply (goes before outreach, not paced)' })
  isReply: boolean;
  @ApiPropertyOptional({ nullable: true, type: String }) inReplyTo: string | null;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    enum: WAITING_REASONS,
    description:
      'Queued messages only: why it is not going yet (outreach pace: waiting_for_window, daily_cap_reached, ramp_limit_reached, minimum_gap; replies_first; Exchange: mailbox_limit; no_sendable_identity; retry_backoff after a refused attempt); null when due now or not queued',
  })
  waitingReason: string | null;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'Queued messages only: when it is expected to be tried next (then re-decided)',
  })
  expectedAt: string | null;
  @ApiProperty({
    type: [SuppressedRecipientResponse],
    description: 'Recipients left out (suppressed); the message goes to the others',
  })
  suppressedRecipients: SuppressedRecipientResponse[];
}

export function toMessageResponse(row: ShownMessage): OutboundMessageResponse {
  const queued = row.status === 'queued';
  return {
    id: row.id,
    senderProfileId: row.senderProfileId,
    status: row.status,
    attempts: row.attempts,
    identityId: row.identityId,
    fromEmail: row.fromEmail,
    recipientCount: row.recipientCount,
    to: recipients(row.toRecipients),
    cc: recipients(row.ccRecipients),
    bcc: recipients(row.bccRecipients),
    subject: row.subject,
    errorCode: row.errorCode,
    errorMessage: row.errorMessage,
    internetMessageId: row.internetMessageId,
    conversationId: row.conversationId,
    createdAt: row.createdAt.toISOString(),
    nextAttemptAt: row.nextAttemptAt.toISOString(),
    sentAt: row.sentAt?.toISOString() ?? null,
    isReply: row.isReply,
    inReplyTo: row.inReplyTo,
    waitingReason: queued ? row.waitingReason : null,
    expectedAt: queued ? row.nextAttemptAt.toISOString() : null,
    suppressedRecipients: (row.suppressedRecipients as unknown as SuppressedRecipient[]).map(
      (r) => ({ email: r.email, field: r.field, reason: r.reason }),
    ),
  };
}

function recipients(value: unknown): RecipientResponse[] {
  if (!Array.isArray(value)) return [];
  return (value as Recipient[]).map((r) =>
    r.name ? { email: r.email, name: r.name } : { email: r.email },
  );
}
