import { Injectable } from '@nestjs/common';
import type { ListingFilters, ListingQuery } from '../../common/database/listing.js';
import {
  type SenderProfileListing,
  SenderProfileListingRepository,
} from './sender-profile-listing.repository.js';

export type { SenderProfileListing } from './sender-profile-listing.repository.js';

/** Sender profiles of every workspace for the operations console (read only). */
@Injectable()
export class SenderProfileListingService {
  constructor(private readonly profiles: SenderProfileListingRepository) {}

  listing(query: ListingQuery): Promise<SenderProfileListing[]> {
    return this.profiles.listing(query);
  }

  count(filters: ListingFilters): Promise<number> {
    return this.profiles.count(filters);
  }
}
