import { Injectable } from '@nestjs/common';
import {
  DELIVERY_MODES,
  DELIVERY_STATES,
  InboundSubscriptionListingService,
} from '../../../inbound/inbound-console.service.js';
import type { FieldDef, ResourceDef } from '../definitions.js';

const FIELDS: FieldDef[] = [
  { path: 'id', type: 'id', label: 'Mailbox id', filter: true },
  { path: 'mailboxId', type: 'reference', reference: 'mailboxes', list: true, filter: true },
  { path: 'workspaceId', type: 'reference', reference: 'workspaces', filter: true },
  { path: 'state', type: 'string', values: DELIVERY_STATES, list: true, filter: true },
  { path: 'mode', type: 'string', values: DELIVERY_MODES, list: true, filter: true },
  { path: 'failing', type: 'boolean', list: true, filter: true },
  { path: 'failure', type: 'string', label: 'Failing because', list: true },
  { path: 'lastError', type: 'string', list: true, filter: true },
  { path: 'lastErrorAt', type: 'datetime', filter: true },
  { path: 'lastCatchUpAt', type: 'datetime', label: 'Last catch-up', list: true, filter: true },
  { path: 'graphSubscriptionId', type: 'string', label: 'Graph subscription id', filter: true },
  { path: 'expiresAt', type: 'datetime', label: 'Subscription expires', list: true, filter: true },
  { path: 'renewAt', type: 'datetime', label: 'Renew at', filter: true },
  { path: 'catchUpAt', type: 'datetime', label: 'Next catch-up', filter: true },
  { path: 'hasDeltaPosition', type: 'boolean', label: 'Has delta position' },
  { path: 'since', type: 'datetime', label: 'Mail processed since' },
  { path: 'createdAt', type: 'datetime', filter: true },
  { path: 'updatedAt', type: 'datetime', filter: true },
];

/**
 * Inbound delivery of each mailbox: notifications or polling, the Graph subscription's expiry,
 * the last catch-up and the last error (read only; never the clientState hash or delta link).
 */
@Injectable()
export class InboundSubscriptionsResource {
  constructor(private readonly listing: InboundSubscriptionListingService) {}

  definition(): ResourceDef {
    return {
      id: 'inbound_subscriptions',
      label: 'Inbound subscriptions',
      group: 'Mail',
      titleField: 'id',
      permission: 'view',
      sort: { field: 'updatedAt', direction: 'desc' },
      source: {
        listing: (query) => this.listing.listing(query),
        count: (filters) => this.listing.count(filters),
      },
      fields: FIELDS,
      actions: [],
    };
  }
}
