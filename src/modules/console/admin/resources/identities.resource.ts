import { Injectable } from '@nestjs/common';
import type { ListingQuery } from '../../../../common/database/listing.js';
import { IdentityListingService } from '../../../identity/identity-listing.service.js';
import { IdentityQueryService } from '../../../identity/identity-query.service.js';
import { SenderProfileService } from '../../../sender-profile/sender-profile.service.js';
import type { FieldDef, ResourceDef } from '../definitions.js';
import { identityPaceDisplay } from '../pace-display.rules.js';

const FIELDS: FieldDef[] = [
  { path: 'id', type: 'id', filter: true },
  { path: 'email', type: 'string', list: true, filter: true },
  { path: 'mailboxId', type: 'reference', reference: 'mailboxes', list: true, filter: true },
  { path: 'workspaceId', type: 'reference', reference: 'workspaces', filter: true },
  {
    path: 'type',
    type: 'string',
    values: ['primary', 'alias', 'send_as'],
    list: true,
    filter: true,
  },
  { path: 'source', type: 'string', values: ['discovered', 'manual'], filter: true },
  {
    path: 'status',
    type: 'string',
    values: ['active', 'inactive', 'send_as_denied'],
    list: true,
    filter: true,
  },
  {
    path: 'senderProfileId',
    type: 'reference',
    reference: 'sender_profiles',
    list: true,
    filter: true,
  },
  { path: 'displayName', type: 'string', filter: true },
  // Its own pace values, and what the dispatcher applies (its values over its profile's).
  { path: 'paceOverride', type: 'string', label: 'Own pace (override)' },
  { path: 'effectivePace', type: 'string', label: 'Effective pace' },
  { path: 'verifiedAt', type: 'datetime', filter: true },
  { path: 'lastSeenAt', type: 'datetime', filter: true },
  { path: 'createdAt', type: 'datetime', filter: true },
  { path: 'updatedAt', type: 'datetime' },
];

@Injectable()
export class IdentitiesResource {
  constructor(
    private readonly identities: IdentityListingService,
    private readonly query: IdentityQueryService,
    private readonly senderProfiles: SenderProfileService,
  ) {}

  definition(): ResourceDef {
    return {
      id: 'identities',
      label: 'Identities',
      group: 'Customers',
      titleField: 'email',
      permission: 'view',
      sort: { field: 'createdAt', direction: 'desc' },
      source: {
        listing: (query) => this.withPace(query),
        count: (filters) => this.identities.count(filters),
      },
      fields: FIELDS,
      actions: [],
    };
  }

  /**
   * Each identity's own pace (identity module, one query for the page's mailboxes) and its
   * effective pace over its sender profile's (one read per profile on the page).
   */
  private async withPace(query: ListingQuery): Promise<object[]> {
    const rows = await this.identities.listing(query);
    const mailboxes = await this.query.forMailboxes([...new Set(rows.map((r) => r.mailboxId))]);
    const overrides = new Map(
      [...mailboxes.values()].flatMap((m) => m.identities.map((i) => [i.id, i.paceOverride])),
    );
    const profileIds = [...new Set(rows.flatMap((r) => r.senderProfileId ?? []))];
    const profiles = await Promise.all(profileIds.map((id) => this.senderProfiles.findById(id)));
    const paces = new Map(profileIds.map((id, i) => [id, profiles[i]?.pace ?? null]));
    return rows.map((row) => ({
      ...row,
      ...identityPaceDisplay(
        row.senderProfileId ? paces.get(row.senderProfileId) : null,
        overrides.get(row.id) ?? null,
      ),
    }));
  }
}
