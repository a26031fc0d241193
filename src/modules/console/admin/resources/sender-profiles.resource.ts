import { Injectable } from '@nestjs/common';
import { SenderProfileListingService } from '../../../sender-profile/sender-profile-listing.service.js';
import type { ResourceDef } from '../definitions.js';

@Injectable()
export class SenderProfilesResource {
  constructor(private readonly profiles: SenderProfileListingService) {}

  definition(): ResourceDef {
    return {
      id: 'sender_profiles',
      label: 'Sender profiles',
      group: 'Customers',
      titleField: 'name',
      permission: 'view',
      sort: { field: 'createdAt', direction: 'desc' },
      source: this.profiles,
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
        { path: 'createdAt', type: 'datetime', list: true, filter: true },
        { path: 'updatedAt', type: 'datetime' },
      ],
      actions: [],
    };
  }
}
