import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { SenderProfileView } from '../sender-profile.service.js';
import { storedPace } from '../../../common/pace/pace-settings.js';
import { PaceSettingsDoc } from '../../identity/dto/pace.dto.js';

const REASONS = [
  'no_identity_assigned',
  'no_active_identity',
  'mailboxes_need_reauth',
  'organization_needs_consent',
  'mailbox_access_denied',
];

export class SenderProfileResponse {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty() fromName: string;
  @ApiPropertyOptional({ nullable: true, type: String }) replyTo: string | null;
  @ApiProperty({ type: [String], description: 'identities assigned to the profile' })
  identityIds: string[];
  @ApiProperty({
    description: 'at least one assigned identity is active on an active, connected mailbox',
  })
  sendable: boolean;
  @ApiPropertyOptional({ nullable: true, type: String, enum: REASONS })
  notSendableReason: string | null;
  @ApiPropertyOptional({
    nullable: true,
    type: PaceSettingsDoc,
    description:
      'Outreach pace of its identities (each may override fields); null = no pace, Exchange limits only',
  })
  pace: PaceSettingsDoc | null;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export class SenderProfileListResponse {
  @ApiProperty({ type: [SenderProfileResponse] }) items: SenderProfileResponse[];
  @ApiPropertyOptional({ nullable: true, type: String }) nextCursor: string | null;
}

export function toSenderProfileResponse(view: SenderProfileView): SenderProfileResponse {
  return {
    id: view.id,
    name: view.name,
    fromName: view.fromName,
    replyTo: view.replyTo,
    identityIds: view.identityIds,
    sendable: view.sendable,
    notSendableReason: view.reason,
    pace: storedPace(view.pace),
    createdAt: view.createdAt.toISOString(),
    updatedAt: view.updatedAt.toISOString(),
  };
}
