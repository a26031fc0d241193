import { Injectable } from '@nestjs/common';
import { IdentityListingService } from '../../../identity/identity-listing.service.js';
import type { FieldDef, ResourceDef } from '../definitions.js';

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
  { path: 'verifiedAt', type: 'datetime', filter: true },
  { path: 'lastSeenAt', type: 'datetime', filter: true },
  { path: 'createdAt', type: 'datetime', filter: true },
  { path: 'updatedAt', type: 'datetime' },
];

@Injectable()
export class IdentitiesResource {
  constructor(private readonly identities: IdentityListingService) {}

  definition(): ResourceDef {
    return {
      id: 'identities',
      label: 'Identities',
      group: 'Customers',
      titleField: 'email',
      permission: 'view',
      sort: { field: 'createdAt', direction: 'desc' },
      source: this.identities,
      fields: FIELDS,
      actions: [],
    };
  }
}
