import { Injectable } from '@nestjs/common';
import {
  type ListingFields,
  type ListingFilters,
  type ListingQuery,
  listingOrder,
  listingWhere,
  listingWindow,
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

/** Cross-workspace reads of sender profiles for the operations console. */
@Injectable()
export class SenderProfileListingRepository {
  constructor(private readonly prisma: PrismaService) {}

  async listing(query: ListingQuery): Promise<SenderProfileListing[]> {
    const where = listingWhere(FIELDS, query.filters);
    if (!where) return [];
    return this.prisma.senderProfile.findMany({
      where: where as Prisma.SenderProfileWhereInput,
      orderBy: listingOrder(FIELDS, query.sort, { field: 'createdAt', direction: 'desc' }),
      ...listingWindow(query),
    });
  }

  async count(filters: ListingFilters): Promise<number> {
    const where = listingWhere(FIELDS, filters);
    return where
      ? this.prisma.senderProfile.count({ where: where as Prisma.SenderProfileWhereInput })
      : 0;
  }
}
