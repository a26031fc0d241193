import { Injectable } from '@nestjs/common';
import type { ListingFilters, ListingQuery } from '../../common/database/listing.js';
import { type OutboundListing, OutboundListingRepository } from './outbound-listing.repository.js';

export type { OutboundListing } from './outbound-listing.repository.js';
export { OUTBOUND_STATUSES } from './outbound-listing.repository.js';
export { PACE_WAIT_REASONS, WAITING_REASONS } from './pace.rules.js';

/** Outbound messages of every workspace for the operations console (read only). */
@Injectable()
export class OutboundListingService {
  constructor(private readonly messages: OutboundListingRepository) {}

  listing(query: ListingQuery): Promise<OutboundListing[]> {
    return this.messages.listing(query);
  }

  count(filters: ListingFilters): Promise<number> {
    return this.messages.count(filters);
  }
}
