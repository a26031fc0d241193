import { Injectable } from '@nestjs/common';
import type { ListingQuery } from '../../../../common/database/listing.js';
import { IdentityQueryService } from '../../../identity/identity-query.service.js';
import { IdentityDiscoveryService } from '../../../identity/identity.service.js';
import { ReplyPolicyListingService } from '../../../inbound/inbound-console.service.js';
import { MailboxListingService } from '../../../mailbox/mailbox-listing.service.js';
import { MailboxService } from '../../../mailbox/mailbox.service.js';
import { staffActor, text } from '../actors.js';
import type { FieldDef, ResourceDef } from '../definitions.js';
import { policyDisplay } from '../policy-display.rules.js';

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
  // The AI reply guard rails (inbound_reply_policy), read only, defaults filled in.
  { path: 'replyPolicy', type: 'string', label: 'AI reply policy' },
  { path: 'replyMode', type: 'string', label: 'AI reply mode' },
  { path: 'undoWindowSeconds', type: 'number', label: 'Undo window (s, delayed mode)' },
  { path: 'dailyReplyCap', type: 'number', label: 'AI replies per 24 h (cap)' },
  { path: 'escalationTopics', type: 'string', label: 'Escalation topics (phrases)' },
  { path: 'confidenceFloor', type: 'number', label: 'Confidence floor (escalate below)' },
  { path: 'businessHours', type: 'string', label: 'AI reply business hours' },
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
    private readonly policies: ReplyPolicyListingService,
  ) {}

  definition(): ResourceDef {
    return {
      id: 'mailboxes',
      label: 'Mailboxes',
      group: 'Customers',
      titleField: 'email',
      permission: 'view',
      sort: { field: 'connectedAt', direction: 'desc' },
      source: { listing: (query) => this.withDetails(query), count: (f) => this.listing.count(f) },
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

  /**
   * The page's mailboxes with their last identity scan (identity module) and their AI reply
   * policy (inbound module); one query each for the whole page.
   */
  private async withDetails(query: ListingQuery): Promise<object[]> {
    const rows = await this.listing.listing(query);
    const [scans, policies] = await Promise.all([
      this.identities.forMailboxes(rows.map((row) => row.id)),
      this.policies.forMailboxes(rows),
    ]);
    return rows.map((row) => {
      const scan = scans.get(row.id)?.scan;
      return {
        ...row,
        identitiesScannedAt: scan?.scannedAt ?? null,
        identitiesScanError: scan?.lastError ?? null,
        ...policyDisplay(policies.get(row.id)),
      };
    });
  }
}
