import { Injectable } from '@nestjs/common';
import {
  Listing,
  type ListingFields,
  type ListingFilters,
  type ListingQuery,
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

const LISTING = new Listing<Prisma.IdentityWhereInput>(FIELDS, {
  field: 'createdAt',
  direction: 'desc',
});

/** Cross-workspace reads of identities for the operations console. */
@Injectable()
export class IdentityListingRepository {
  constructor(private readonly prisma: PrismaService) {}

  listing(query: ListingQuery): Promise<IdentityListing[]> {
    return LISTING.rows(query, (args) => this.prisma.identity.findMany(args));
  }

  count(filters: ListingFilters): Promise<number> {
    return LISTING.count(filters, (where) => this.prisma.identity.count({ where }));
  }
}
