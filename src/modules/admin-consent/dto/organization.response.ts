import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { OrganizationView } from '../organization.service.js';
import { emptyCounts, type SyncCounts } from '../sync-counts.js';

export class OrganizationCountsResponse {
  @ApiProperty({ description: 'connected organization mailboxes (shared ones included)' })
  mailboxes: number;
  @ApiProperty({ description: 'of them, able to send now' }) active: number;
  @ApiProperty({ description: 'stopped until an admin consents again' }) needsConsent: number;
  @ApiProperty({ description: 'hidden from the app by an Exchange application access policy' })
  accessDenied: number;
  @ApiProperty({ description: 'shared mailboxes found by the last sync' }) sharedMailboxes: number;
  @ApiProperty({ description: 'users the last sync listed' }) users: number;
  @ApiProperty({
    description:
      'users the last sync left out, by why: withoutMailbox, guests, disabledAccounts (former employees), roomsAndEquipment, connectedDelegated (connected by the person, that connection stays), disconnectedByUser, unreadable',
    type: 'object',
    additionalProperties: { type: 'number' },
  })
  excluded: Record<string, number>;
}

export class OrganizationResponse {
  @ApiProperty() id: string;
  @ApiProperty() tenantId: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'its most used mail domain' })
  domain: string | null;
  @ApiProperty({ enum: ['active', 'needs_consent', 'syncing'] }) status: string;
  @ApiPropertyOptional({ nullable: true, type: String, example: 'consent_revoked' })
  statusReason: string | null;
  @ApiProperty() grantedAt: string;
  @ApiPropertyOptional({ nullable: true, type: String }) consentLostAt: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'last completed sync' })
  lastSyncAt: string | null;
  @ApiProperty() nextSyncAt: string;
  @ApiPropertyOptional({ nullable: true, type: String }) lastError: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) lastErrorAt: string | null;
  @ApiProperty({ type: OrganizationCountsResponse }) counts: OrganizationCountsResponse;
}

export class OrganizationListResponse {
  @ApiProperty({ type: [OrganizationResponse] }) items: OrganizationResponse[];
  @ApiPropertyOptional({ nullable: true, type: String }) nextCursor: string | null;
}

export class RemovedOrganizationResponse {
  @ApiProperty() id: string;
  @ApiProperty() tenantId: string;
  @ApiProperty() removedAt: string;
  @ApiProperty({ description: 'organization mailboxes retired with it' }) retiredMailboxes: number;
  @ApiProperty({ description: "what remains on Microsoft's side and how to revoke it" })
  notice: string;
}

export const REMOVAL_NOTICE =
  "ScendCore no longer uses this organization: its mailboxes are retired and their queued messages cancelled; sent messages and history are kept. Microsoft 365 still grants the application permissions until an administrator of the organization deletes the ScendCore enterprise application in the Microsoft Entra admin center (Enterprise applications); that is what revokes Microsoft's side.";

export function toOrganizationResponse(view: OrganizationView): OrganizationResponse {
  const last = { ...emptyCounts(), ...(view.lastSyncCounts as Partial<SyncCounts>) };
  return {
    id: view.id,
    tenantId: view.tenantId,
    domain: view.primaryDomain,
    status: view.status,
    statusReason: view.statusReason,
    grantedAt: view.grantedAt.toISOString(),
    consentLostAt: view.consentLostAt?.toISOString() ?? null,
    lastSyncAt: view.lastSyncAt?.toISOString() ?? null,
    nextSyncAt: view.nextSyncAt.toISOString(),
    lastError: view.lastError,
    lastErrorAt: view.lastErrorAt?.toISOString() ?? null,
    counts: {
      ...view.mailboxCounts,
      sharedMailboxes: last.sharedMailboxes,
      users: last.listed,
      excluded: { ...last.excluded },
    },
  };
}
