import { Injectable } from '@nestjs/common';
import { Listing, type ListingFilters, type ListingQuery } from '../../common/database/listing.js';
import { PrismaService } from '../../common/database/prisma.service.js';
import type { Prisma, Suppression } from '../../generated/prisma/client.js';
import { SUPPRESSION_REASONS, type SuppressionReason } from './suppression.rules.js';

/**
 * A suppression as the operations console lists it, with the inbound message it was detected
 * in (when it came from the inbound pipeline: `source` is `inbound:<id>`).
 */
export interface SuppressionListing {
  id: string;
  workspaceId: string;
  email: string;
  reason: SuppressionReason;
  source: string;
  inboundMessageId: string | null;
  note: string | null;
  createdAt: Date;
}

const INBOUND_SOURCE = 'inbound:';

const LISTING = new Listing<Prisma.SuppressionWhereInput>(
  {
    id: { kind: 'equals' },
    workspaceId: { kind: 'equals' },
    email: { kind: 'contains' },
    reason: { kind: 'enum', values: SUPPRESSION_REASONS },
    source: { kind: 'contains' },
    createdAt: { kind: 'date' },
  },
  { field: 'createdAt', direction: 'desc' },
);

/** Cross-workspace reads of the suppression lists for the operations console. */
@Injectable()
export class SuppressionConsoleRepository {
  constructor(private readonly prisma: PrismaService) {}

  async listing(query: ListingQuery): Promise<SuppressionListing[]> {
    const rows = await LISTING.rows(query, (args) => this.prisma.suppression.findMany(args));
    return rows.map(toListing);
  }

  count(filters: ListingFilters): Promise<number> {
    return LISTING.count(filters, (where) => this.prisma.suppression.count({ where }));
  }
}

function toListing(row: Suppression): SuppressionListing {
  const inbound = row.source.startsWith(INBOUND_SOURCE);
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    email: row.email,
    reason: row.reason,
    source: row.source,
    inboundMessageId: inbound ? row.source.slice(INBOUND_SOURCE.length) : null,
    note: row.note,
    createdAt: row.createdAt,
  };
}
