import { Injectable } from '@nestjs/common';
import type { ListingFilters, ListingQuery } from '../../common/database/listing.js';
import { type MailboxListing, MailboxListingRepository } from './mailbox-listing.repository.js';

export type { MailboxListing } from './mailbox-listing.repository.js';

/** Mailboxes of every workspace for the operations console (read only; no secrets). */
@Injectable()
export class MailboxListingService {
  constructor(private readonly mailboxes: MailboxListingRepository) {}

  listing(query: ListingQuery): Promise<MailboxListing[]> {
    return this.mailboxes.listing(query);
  }

  count(filters: ListingFilters): Promise<number> {
    return this.mailboxes.count(filters);
  }
}
