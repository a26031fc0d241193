import { Injectable } from '@nestjs/common';
import type { ListingFilters, ListingQuery } from '../../common/database/listing.js';
import {
  SuppressionConsoleRepository,
  type SuppressionListing,
} from './suppression-console.repository.js';

export type { SuppressionListing } from './suppression-console.repository.js';
export { SUPPRESSION_REASONS } from './suppression.rules.js';

/**
 * The suppression lists of every workspace for the operations console (read only; removing an
 * address goes through SuppressionService.remove, as the REST DELETE does).
 */
@Injectable()
export class SuppressionListingService {
  constructor(private readonly suppressions: SuppressionConsoleRepository) {}

  listing(query: ListingQuery): Promise<SuppressionListing[]> {
    return this.suppressions.listing(query);
  }

  count(filters: ListingFilters): Promise<number> {
    return this.suppressions.count(filters);
  }
}
