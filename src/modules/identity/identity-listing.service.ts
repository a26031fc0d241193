import { Injectable } from '@nestjs/common';
import type { ListingFilters, ListingQuery } from '../../common/database/listing.js';
import { type IdentityListing, IdentityListingRepository } from './identity-listing.repository.js';

export type { IdentityListing } from './identity-listing.repository.js';

/** Identities of every workspace for the operations console (read only). */
@Injectable()
export class IdentityListingService {
  constructor(private readonly identities: IdentityListingRepository) {}

  listing(query: ListingQuery): Promise<IdentityListing[]> {
    return this.identities.listing(query);
  }

  count(filters: ListingFilters): Promise<number> {
    return this.identities.count(filters);
  }
}
