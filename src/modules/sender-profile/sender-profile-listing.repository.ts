import { Injectable } from '@nestjs/common';
import {
  Listing,
  type ListingFields,
  type ListingFilters,
  type ListingQuery,
} from '../../common/database/listing.js';
import { PrismaService } from '../../common/database/prisma.service.js';
import type { Prisma } from '../../generated/prisma/client.js';

export interface SenderProfileListing {
  id: string;
  workspaceId: string;
  name: string;
  fromName: string;
  replyTo: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const FIELDS: ListingFields = {
  id: { kind: 'equals' },
  workspaceId: { kind: 'equals' },
  name: { kind: 'contains' },
  fromName: { kind: 'contains' },
  replyTo: { kind: 'contains' },
  createdAt: { kind: 'date' },
  updatedAt: { kind: 'date' },
};

const LISTING = new Listing<Prisma.SenderProfileWhereInput>(FIELDS, {
  field: 'createdAt',
  direction: 'desc',
});

/** Cross-workspace reads of sender profiles for the operations console. */
@Injectable()
export class SenderProfileListingRepository {
  constructor(private readonly prisma: PrismaService) {}

  listing(query: ListingQuery): Promise<SenderProfileListing[]> {
    return LISTING.rows(query, (args) => this.prisma.senderProfile.findMany(args));
  }

  count(filters: ListingFilters): Promise<number> {
    return LISTING.count(filters, (where) => this.prisma.senderProfile.count({ where }));
  }
}
