import { Injectable } from '@nestjs/common';
import {
  type ListingFields,
  type ListingFilters,
  type ListingQuery,
  listingOrder,
  listingWhere,
  listingWindow,
} from '../database/listing.js';
import { PrismaService } from '../database/prisma.service.js';
import type { Tx } from '../database/transaction.js';
import type { Prisma } from '../../generated/prisma/client.js';

export type WorkspaceState = 'active' | 'suspended';

export interface WorkspaceListing {
  id: string;
  status: WorkspaceState;
  createdAt: Date;
  updatedAt: Date;
}

const LISTING_FIELDS: ListingFields = {
  id: { kind: 'contains' },
  status: { kind: 'enum', values: ['active', 'suspended'] },
  createdAt: { kind: 'date' },
  updatedAt: { kind: 'date' },
};

@Injectable()
export class WorkspaceRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Returns the workspace's status, creating it as active on first sight (JIT). */
  async findOrCreate(id: string): Promise<WorkspaceState> {
    const found = await this.prisma.workspace.findUnique({
      where: { id },
      select: { status: true },
    });
    if (found) return found.status;
    await this.prisma.workspace.createMany({ data: [{ id }], skipDuplicates: true });
    const created = await this.prisma.workspace.findUniqueOrThrow({
      where: { id },
      select: { status: true },
    });
    return created.status;
  }

  /** Sets the status of an existing workspace; the status it had, or null when there is none. */
  async updateStatus(tx: Tx, id: string, status: WorkspaceState): Promise<WorkspaceState | null> {
    const [row] = await tx.$queryRaw<{ status: WorkspaceState }[]>`
      SELECT status::text AS status FROM workspace WHERE id = ${id} FOR UPDATE`;
    if (!row) return null;
    if (row.status !== status) await tx.workspace.update({ where: { id }, data: { status } });
    return row.status;
  }

  async listing(query: ListingQuery): Promise<WorkspaceListing[]> {
    const where = listingWhere(LISTING_FIELDS, query.filters);
    if (!where) return [];
    return this.prisma.workspace.findMany({
      where: where as Prisma.WorkspaceWhereInput,
      select: { id: true, status: true, createdAt: true, updatedAt: true },
      orderBy: listingOrder(LISTING_FIELDS, query.sort, { field: 'createdAt', direction: 'desc' }),
      ...listingWindow(query),
    });
  }

  async count(filters: ListingFilters): Promise<number> {
    const where = listingWhere(LISTING_FIELDS, filters);
    return where ? this.prisma.workspace.count({ where: where as Prisma.WorkspaceWhereInput }) : 0;
  }
}
