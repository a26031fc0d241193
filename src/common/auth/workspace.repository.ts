import { Injectable } from '@nestjs/common';
import {
  Listing,
  type ListingFields,
  type ListingFilters,
  type ListingQuery,
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

const LISTING = new Listing<Prisma.WorkspaceWhereInput>(LISTING_FIELDS, {
  field: 'createdAt',
  direction: 'desc',
});

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

  listing(query: ListingQuery): Promise<WorkspaceListing[]> {
    return LISTING.rows(query, (args) =>
      this.prisma.workspace.findMany({
        ...args,
        select: { id: true, status: true, createdAt: true, updatedAt: true },
      }),
    );
  }

  count(filters: ListingFilters): Promise<number> {
    return LISTING.count(filters, (where) => this.prisma.workspace.count({ where }));
  }
}
