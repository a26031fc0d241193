import { Injectable } from '@nestjs/common';
import type { Actor } from '../auth/actor.js';
import {
  Listing,
  type ListingFields,
  type ListingFilters,
  type ListingQuery,
} from '../database/listing.js';
import { PrismaService } from '../database/prisma.service.js';
import type { Tx } from '../database/transaction.js';
import type { Prisma } from '../../generated/prisma/client.js';

export interface AuditEntry {
  workspaceId?: string | null;
  actor: { type: 'user' | 'staff' | 'system'; id?: string | null };
  action: string;
  target?: { type: string; id: string };
  /** Small facts only: never tokens, codes or secrets. */
  metadata?: Record<string, string | number | boolean | null>;
}

/** An audit row as the operations console lists it. */
export interface AuditListing {
  id: string;
  at: Date;
  workspaceId: string | null;
  actorType: 'user' | 'staff' | 'system';
  actorId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  metadata: unknown;
}

/** The audit actor of a service call: a workspace user, or staff acting through the console. */
export function auditActor(actor: Actor): AuditEntry['actor'] {
  return { type: actor.kind ?? 'user', id: actor.userId };
}

const LISTING_FIELDS: ListingFields = {
  id: { kind: 'uuid' },
  at: { kind: 'date' },
  workspaceId: { kind: 'equals' },
  actorType: { kind: 'enum', values: ['user', 'staff', 'system'] },
  actorId: { kind: 'equals' },
  action: { kind: 'contains' },
  targetType: { kind: 'equals' },
  targetId: { kind: 'equals' },
};

const LISTING = new Listing<Prisma.AuditLogWhereInput>(LISTING_FIELDS, {
  field: 'at',
  direction: 'desc',
});

/** Appends audit rows inside the caller's transaction, so they commit with the change. */
@Injectable()
export class AuditService {
  constructor(private readonly prisma: PrismaService) {}

  async record(tx: Tx, entry: AuditEntry): Promise<void> {
    await tx.auditLog.create({
      data: {
        workspaceId: entry.workspaceId ?? null,
        actorType: entry.actor.type,
        actorId: entry.actor.id ?? null,
        action: entry.action,
        targetType: entry.target?.type ?? null,
        targetId: entry.target?.id ?? null,
        metadata: (entry.metadata ?? {}) as Prisma.InputJsonValue,
      },
    });
  }

  /** The audit log for the operations console (read only), newest first by default. */
  listing(query: ListingQuery): Promise<AuditListing[]> {
    return LISTING.rows(query, (args) => this.prisma.auditLog.findMany(args));
  }

  count(filters: ListingFilters): Promise<number> {
    return LISTING.count(filters, (where) => this.prisma.auditLog.count({ where }));
  }
}
