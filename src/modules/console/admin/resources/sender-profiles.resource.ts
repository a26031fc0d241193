import { Injectable } from '@nestjs/common';
import type { ListingQuery } from '../../../../common/database/listing.js';
import { storedPace } from '../../../../common/pace/pace-settings.js';
import { SenderProfileListingService } from '../../../sender-profile/sender-profile-listing.service.js';
import { SenderProfileService } from '../../../sender-profile/sender-profile.service.js';
import type { ResourceDef } from '../definitions.js';
import { paceText } from '../pace-display.rules.js';

@Injectable()
export class SenderProfilesResource {
  constructor(
    private readonly profiles: SenderProfileListingService,
    private readonly senderProfiles: SenderProfileService,
  ) {}

  definition(): ResourceDef {
    return {
      id: 'sender_profiles',
      label: 'Sender profiles',
      group: 'Customers',
      titleField: 'name',
      permission: 'view',
      sort: { field: 'createdAt', direction: 'desc' },
      source: {
        listing: (query) => this.withPace(query),
        count: (filters) => this.profiles.count(filters),
      },
      fields: [
        { path: 'id', type: 'id', filter: true },
        { path: 'name', type: 'string', list: true, filter: true },
        { path: 'fromName', type: 'string', list: true, filter: true },
        {
          path: 'workspaceId',
          type: 'reference',
          reference: 'workspaces',
          list: true,
          filter: true,
        },
        { path: 'replyTo', type: 'string', filter: true },
        // Outreach pace of its identities (sender-profile module), read only, in words.
        { path: 'pace', type: 'string', label: 'Sending pace' },
        { path: 'createdAt', type: 'datetime', list: true, filter: true },
        { path: 'updatedAt', type: 'datetime' },
      ],
      actions: [],
    };
  }

  /** Each profile's sending pace, read through the sender-profile module's service. */
  private async withPace(query: ListingQuery): Promise<object[]> {
    const rows = await this.profiles.listing(query);
    const profiles = await Promise.all(rows.map((row) => this.senderProfiles.findById(row.id)));
    return rows.map((row, i) => ({ ...row, pace: paceText(storedPace(profiles[i]?.pace)) }));
  }
}
