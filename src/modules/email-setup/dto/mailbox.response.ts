import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { MailboxIdentities } from '../../identity/identity-query.service.js';
import { IdentityResponse, toIdentityResponse } from '../../identity/dto/identity.dto.js';
import type { ListedMailbox } from '../../mailbox/mailbox.service.js';
import { explainStatus } from '../mailbox-status.rules.js';

export class InboundSettingsResponse {
  @ApiProperty() enabled: boolean;
  @ApiProperty({ enum: ['new_business', 'support', 'general', 'billing', 'personal'] })
  purpose: string;
  @ApiProperty({ enum: ['full_auto', 'reply_only', 'triage_only', 'disabled'] }) behavior: string;
}

export class MailboxResponse {
  @ApiProperty() id: string;
  @ApiProperty({ example: 'microsoft' }) provider: string;
  @ApiProperty({ enum: ['delegated', 'organization'] }) connectionType: string;
  @ApiProperty() tenantId: string;
  @ApiProperty() email: string;
  @ApiPropertyOptional({ nullable: true, type: String }) displayName: string | null;
  @ApiProperty({ enum: ['active', 'needs_reauth', 'error'], description: 'status badge' })
  status: string;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'why the status needs attention: needs_reauth reasons, or token_refresh_failing',
  })
  statusReason: string | null;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'when the status reason was first seen',
  })
  statusReasonSince: string | null;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'the status reason in words, for a person (null when there is nothing to say)',
  })
  statusMessage: string | null;
  @ApiProperty({
    enum: ['none', 'reconnect', 'ask_admin', 'wait', 'contact_support'],
    description: 'the next step the page offers',
  })
  statusAction: string;
  @ApiPropertyOptional({ nullable: true, type: String }) organizationId: string | null;
  @ApiProperty() connectedAt: string;
  @ApiPropertyOptional({ nullable: true, type: String }) tokenRefreshedAt: string | null;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'last successful identity discovery',
  })
  identitiesScannedAt: string | null;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'why the last discovery failed, if it did',
  })
  identitiesScanError: string | null;
  @ApiProperty({ type: InboundSettingsResponse }) inbound: InboundSettingsResponse;
  @ApiProperty({ type: [IdentityResponse], description: 'email identities of the mailbox' })
  identities: IdentityResponse[];
}

export class IdentityChangesResponse {
  @ApiProperty({ type: [IdentityResponse] }) added: IdentityResponse[];
  @ApiProperty({ type: [IdentityResponse] }) removed: IdentityResponse[];
}

export class RefreshedMailboxResponse extends MailboxResponse {
  @ApiProperty({ type: IdentityChangesResponse }) changes: IdentityChangesResponse;
}

export class MailboxListResponse {
  @ApiProperty({ type: [MailboxResponse] }) items: MailboxResponse[];
  @ApiPropertyOptional({ nullable: true, type: String }) nextCursor: string | null;
}

export function toMailboxResponse(row: ListedMailbox, found?: MailboxIdentities): MailboxResponse {
  const scan = found?.scan;
  return {
    id: row.id,
    provider: row.provider,
    connectionType: row.connectionType,
    tenantId: row.tenantId,
    email: row.email,
    displayName: row.displayName,
    status: row.status,
    statusReason: row.statusReason,
    statusReasonSince: row.statusReasonSince?.toISOString() ?? null,
    ...statusWords(row.status, row.statusReason),
    organizationId: row.organizationId,
    connectedAt: row.connectedAt.toISOString(),
    tokenRefreshedAt: row.tokenRefreshedAt?.toISOString() ?? null,
    identitiesScannedAt: scan?.scannedAt?.toISOString() ?? null,
    identitiesScanError: scan?.lastError ?? null,
    inbound: {
      enabled: row.inboundEnabled,
      purpose: row.inboundPurpose,
      behavior: row.inboundBehavior,
    },
    identities: (found?.identities ?? []).map(toIdentityResponse),
  };
}

function statusWords(status: string, reason: string | null) {
  const { message, action } = explainStatus(status, reason);
  return { statusMessage: message, statusAction: action };
}
