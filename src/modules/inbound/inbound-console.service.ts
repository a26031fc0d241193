import { Injectable } from '@nestjs/common';
import type { ListingFilters, ListingQuery } from '../../common/database/listing.js';
import {
  InboundConsoleRepository,
  type InboundMessageListing,
  type SubscriptionListing,
} from './inbound-console.repository.js';

export type { InboundMessageListing, SubscriptionListing } from './inbound-console.repository.js';
export {
  DELIVERY_MODES,
  DELIVERY_STATES,
  INBOUND_ACTIONS,
  INBOUND_CATEGORIES,
  INBOUND_STAGES,
} from './inbound-console.repository.js';

/** Inbound messages of every workspace with their decisions, for the operations console. */
@Injectable()
export class InboundMessageListingService {
  constructor(private readonly inbound: InboundConsoleRepository) {}

  listing(query: ListingQuery): Promise<InboundMessageListing[]> {
    return this.inbound.messages(query);
  }

  count(filters: ListingFilters): Promise<number> {
    return this.inbound.countMessages(filters);
  }
}

/**
 * Inbound delivery of every mailbox (read only; no clientState hash, no delta link). The
 * virtual filter `failing` ('true'/'false') selects the rows whose `failing` column is so.
 */
@Injectable()
export class InboundSubscriptionListingService {
  constructor(private readonly inbound: InboundConsoleRepository) {}

  listing(query: ListingQuery, now = new Date()): Promise<SubscriptionListing[]> {
    return this.inbound.subscriptions(query, now);
  }

  count(filters: ListingFilters, now = new Date()): Promise<number> {
    return this.inbound.countSubscriptions(filters, now);
  }
}
