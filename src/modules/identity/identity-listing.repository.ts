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

export interface IdentityListing {
  id: string;
  mailboxId: string;
  workspaceId: string;
  email: string;
  displayName: string | null;
  type: 'primary' | 'alias' | 'send_as';
  source: 'discovered' | 'manual';
  status: 'active' | 'inactive' | 'send_as_denied';
  verifiedAt: Date | null;
  senderProfileId: string | null;
  lastSeenAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

const FIELDS: ListingFields = {
  id: { kind: 'equals' },
  mailboxId: { kind: 'equals' },
  workspaceId: { kind: 'equals' },
  email: { kind: 'contains' },
  displayName: { kind: 'contains' },
  type: { kind: 'enum', values: ['primary', 'alias', 'send_as'] },
  source: { kind: 'enum', values: ['discovered', 'manual'] },
  status: { kind: 'enum', values: ['active', 'inactive', 'send_as_denied'] },
  senderProfileId: { kind: 'equals' },
  verifiedAt: { kind: 'date' },
  lastSeenAt: { kind: 'date' },
  createdAt: { kind: 'date' },
};

/** Cross-workspace reads of identities for the operations console. */
@Injectable()
export class IdentityListingRepository {
  constructor(private readonly prisma: PrismaService) {}

  async listing(query: ListingQuery): Promise<IdentityListing[]> {
    const where = listingWhere(FIELDS, query.filters);
    if (!where) return [];
    return this.prisma.identity.findMany({
      where: where as Prisma.IdentityWhereInput,
      orderBy: listingOrder(FIELDS, query.sort, { field: 'createdAt', direction: 'desc' }),
      ...listingWindow(query),
    });
  }

  async count(filters: ListingFilters): Promise<number> {
    const where = listingWhere(FIELDS, filters);
    return where ? this.prisma.identity.count({ where: where as Prisma.IdentityWhereInput }) : 0;
  }
}
