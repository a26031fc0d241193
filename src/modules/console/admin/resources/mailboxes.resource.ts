import { Injectable } from '@nestjs/common';
import type { ListingQuery } from '../../../../common/database/listing.js';
import { IdentityQueryService } from '../../../identity/identity-query.service.js';
import { IdentityDiscoveryService } from '../../../identity/identity.service.js';
import { MailboxListingService } from '../../../mailbox/mailbox-listing.service.js';
import { MailboxService } from '../../../mailbox/mailbox.service.js';
import { staffActor, text } from '../actors.js';
import type { FieldDef, ResourceDef } from '../definitions.js';

const STATUSES = ['active', 'needs_reauth', 'error'] as const;
const PURPOSES = ['new_business', 'support', 'general', 'billing', 'personal'] as const;
const BEHAVIORS = ['full_auto', 'reply_only', 'triage_only', 'disabled'] as const;

const FIELDS: FieldDef[] = [
  { path: 'id', type: 'id', filter: true },
  { path: 'email', type: 'string', list: true, filter: true },
  {
    path: 'workspaceId',
    type: 'reference',
    reference: 'workspaces',
    list: true,
    filter: true,
  },
  { path: 'status', type: 'string', values: STATUSES, list: true, filter: true },
  { path: 'statusReason', type: 'string', list: true, filter: true },
  { path: 'statusReasonSince', type: 'datetime' },
  { path: 'connected', type: 'boolean', filter: true },
  {
    path: 'connectionType',
    type: 'string',
    values: ['delegated', 'organization'],
    list: true,
    filter: true,
  },
  { path: 'displayName', type: 'string', filter: true },
  { path: 'tenantId', type: 'string', label: 'Tenant id', filter: true },
  { path: 'msUserId', type: 'string', label: 'Microsoft user id' },
  { path: 'organizationId', type: 'string', label: 'Organization id', filter: true },
  { path: 'connectedByUserId', type: 'string', label: 'Connected by (user id)' },
  { path: 'inboundEnabled', type: 'boolean', filter: true },
  { path: 'inboundPurpose', type: 'string', values: PURPOSES, filter: true },
  { path: 'inboundBehavior', type: 'string', values: BEHAVIORS, filter: true },
  { path: 'tokenRefreshedAt', type: 'datetime', list: true, filter: true },
  { path: 'tokenExpiresAt', type: 'datetime' },
  { path: 'nextTokenRefreshAt', type: 'datetime' },
  { path: 'tokenRefreshAttempts', type: 'number' },
  { path: 'lastTokenRefreshError', type: 'string' },
  { path: 'identitiesScannedAt', type: 'datetime', list: true },
  { path: 'identitiesScanError', type: 'string' },
  { path: 'connectedAt', type: 'datetime', filter: true },
  { path: 'disconnectedAt', type: 'datetime' },
  { path: 'updatedAt', type: 'datetime' },
];

/** Connected mailboxes of every workspace: status and why, token schedule, last identity scan. */
@Injectable()
export class MailboxesResource {
  constructor(
    private readonly listing: MailboxListingService,
    private readonly mailboxes: MailboxService,
    private readonly identities: IdentityQueryService,
    private readonly discovery: IdentityDiscoveryService,
  ) {}

  definition(): ResourceDef {
    return {
      id: 'mailboxes',
      label: 'Mailboxes',
      group: 'Customers',
      titleField: 'email',
      permission: 'view',
      sort: { field: 'connectedAt', direction: 'desc' },
      source: { listing: (query) => this.withScans(query), count: (f) => this.listing.count(f) },
      fields: FIELDS,
      actions: [
        {
          name: 'refreshIdentities',
          label: 'Refresh identities',
          permission: 'act',
          when: (row) => row.connected === true && row.status !== 'needs_reauth',
          run: async (staff, row) => {
            const actor = staffActor(staff, text(row, 'workspaceId'));
            const changes = await this.discovery.refresh(text(row, 'id'), actor);
            return `Identities refreshed: ${changes.added.length} added, ${changes.removed.length} removed.`;
          },
        },
        {
          name: 'refreshToken',
          label: 'Force token refresh',
          permission: 'act',
          when: (row) =>
            row.connected === true && row.connectionType === 'delegated' && row.status === 'active',
          run: async (staff, row) => {
            const actor = staffActor(staff, text(row, 'workspaceId'));
            const outcome = await this.mailboxes.refreshTokenNow(actor, text(row, 'id'));
            return `Token refresh: ${outcome}.`;
          },
        },
        {
          name: 'disconnect',
          label: 'Disconnect',
          permission: 'act',
          confirm:
            'Disconnect this mailbox? Its tokens are deleted, its identities retired and queued sends without another identity cancelled.',
          when: (row) => row.connected === true,
          run: async (staff, row) => {
            await this.mailboxes.disconnect(
              staffActor(staff, text(row, 'workspaceId')),
              text(row, 'id'),
            );
            return 'Mailbox disconnected.';
          },
        },
      ],
    };
  }

  /** The page's mailboxes with their last identity scan (identity module). */
  private async withScans(query: ListingQuery): Promise<object[]> {
    const rows = await this.listing.listing(query);
    const scans = await this.identities.forMailboxes(rows.map((row) => row.id));
    return rows.map((row) => {
      const scan = scans.get(row.id)?.scan;
      return {
        ...row,
        identitiesScannedAt: scan?.scannedAt ?? null,
        identitiesScanError: scan?.lastError ?? null,
      };
    });
  }
}
