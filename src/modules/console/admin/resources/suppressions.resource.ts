import { Injectable } from '@nestjs/common';
import {
  SUPPRESSION_REASONS,
  SuppressionListingService,
} from '../../../outbound/suppression-console.service.js';
import { SuppressionService } from '../../../outbound/suppression.service.js';
import { staffActor, text } from '../actors.js';
import type { FieldDef, ResourceDef } from '../definitions.js';

const FIELDS: FieldDef[] = [
  { path: 'id', type: 'id', filter: true },
  { path: 'email', type: 'string', label: 'Address', list: true, filter: true },
  { path: 'workspaceId', type: 'reference', reference: 'workspaces', list: true, filter: true },
  { path: 'reason', type: 'string', values: SUPPRESSION_REASONS, list: true, filter: true },
  {
    path: 'source',
    type: 'string',
    label: 'Source',
    list: true,
    filter: true,
  },
  {
    path: 'inboundMessageId',
    type: 'reference',
    reference: 'inbound_messages',
    label: 'Detected in (inbound message)',
  },
  { path: 'note', type: 'string' },
  { path: 'createdAt', type: 'datetime', label: 'Suppressed at', list: true, filter: true },
];

/**
 * Every workspace's suppression list: who is never written to again and why (hard bounce,
 * unsubscribe, complaint, or added by a user). Removing an address goes through
 * SuppressionService, as the REST DELETE /v1/suppressions/:id does.
 */
@Injectable()
export class SuppressionsResource {
  constructor(
    private readonly listing: SuppressionListingService,
    private readonly suppressions: SuppressionService,
  ) {}

  definition(): ResourceDef {
    return {
      id: 'suppressions',
      label: 'Suppressions',
      group: 'Mail',
      titleField: 'email',
      permission: 'view',
      sort: { field: 'createdAt', direction: 'desc' },
      source: this.listing,
      fields: FIELDS,
      actions: [
        {
          name: 'removeSuppression',
          label: 'Remove from suppression list',
          permission: 'act',
          confirm:
            'Take this address off the suppression list? The workspace may write to it again.',
          run: async (staff, row) => {
            const actor = staffActor(staff, text(row, 'workspaceId'));
            await this.suppressions.remove(actor, text(row, 'id'));
            return 'Address removed from the suppression list; it may be written to again.';
          },
        },
      ],
    };
  }
}
