import { Injectable } from '@nestjs/common';
import {
  Listing,
  type ListingFields,
  type ListingFilters,
  type ListingQuery,
} from '../../../common/database/listing.js';
import { PrismaService } from '../../../common/database/prisma.service.js';
import type { Tx } from '../../../common/database/transaction.js';
import type { Prisma, StaffUser } from '../../../generated/prisma/client.js';

export type StaffRow = StaffUser;

/** A staff user as the console lists it (never the password hash). */
export type StaffListing = Omit<StaffUser, 'passwordHash'>;

export interface NewStaff {
  id: string;
  email: string;
  name: string | null;
  role: StaffUser['role'];
  passwordHash: string;
  passwordChangedAt: Date;
  createdBy: string;
}

export type StaffChanges = Partial<
  Pick<
    StaffUser,
    | 'name'
    | 'role'
    | 'status'
    | 'passwordHash'
    | 'passwordChangedAt'
    | 'failedLogins'
    | 'lockedUntil'
    | 'lastLoginAt'
  >
>;

const FIELDS: ListingFields = {
  id: { kind: 'uuid' },
  email: { kind: 'contains' },
  name: { kind: 'contains' },
  role: { kind: 'enum', values: ['viewer', 'operator', 'admin'] },
  status: { kind: 'enum', values: ['active', 'disabled'] },
  lockedUntil: { kind: 'date' },
  lastLoginAt: { kind: 'date' },
  createdAt: { kind: 'date' },
};

const LISTING = new Listing<Prisma.StaffUserWhereInput>(FIELDS, {
  field: 'email',
  direction: 'asc',
});

const LISTING_SELECT = {
  id: true,
  email: true,
  name: true,
  role: true,
  status: true,
  passwordChangedAt: true,
  failedLogins: true,
  lockedUntil: true,
  lastLoginAt: true,
  createdBy: true,
  createdAt: true,
  updatedAt: true,
} satisfies Prisma.StaffUserSelect;

@Injectable()
export class StaffRepository {
  constructor(private readonly prisma: PrismaService) {}

  findByEmail(email: string): Promise<StaffRow | null> {
    return this.prisma.staffUser.findUnique({ where: { email } });
  }

  findById(id: string): Promise<StaffRow | null> {
    return this.prisma.staffUser.findUnique({ where: { id } });
  }

  /** The row, locked for the caller's transaction (sign-in counters, role changes). */
  async lock(tx: Tx, id: string): Promise<StaffRow | null> {
    await tx.$executeRaw`SELECT 1 FROM staff_user WHERE id = ${id}::uuid FOR UPDATE`;
    return tx.staffUser.findUnique({ where: { id } });
  }

  /** Inserts the staff user; null when the email is taken. */
  async insert(tx: Tx, staff: NewStaff): Promise<StaffRow | null> {
    const { count } = await tx.staffUser.createMany({ data: [staff], skipDuplicates: true });
    return count === 1 ? tx.staffUser.findUnique({ where: { id: staff.id } }) : null;
  }

  update(tx: Tx, id: string, changes: StaffChanges): Promise<StaffRow> {
    return tx.staffUser.update({ where: { id }, data: changes });
  }

  /** Active admins, their rows locked (two admins demoting each other cannot both succeed). */
  async countActiveAdmins(tx: Tx): Promise<number> {
    const rows = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM staff_user WHERE role = 'admin' AND status = 'active' ORDER BY id FOR UPDATE`;
    return rows.length;
  }

  async emailsOf(ids: string[]): Promise<Map<string, string>> {
    const rows = await this.prisma.staffUser.findMany({
      where: { id: { in: ids } },
      select: { id: true, email: true },
    });
    return new Map(rows.map((row) => [row.id, row.email]));
  }

  async anyExists(): Promise<boolean> {
    return (await this.prisma.staffUser.findFirst({ select: { id: true } })) !== null;
  }

  listing(query: ListingQuery): Promise<StaffListing[]> {
    return LISTING.rows(query, (args) =>
      this.prisma.staffUser.findMany({ ...args, select: LISTING_SELECT }),
    );
  }

  count(filters: ListingFilters): Promise<number> {
    return LISTING.count(filters, (where) => this.prisma.staffUser.count({ where }));
  }
}
