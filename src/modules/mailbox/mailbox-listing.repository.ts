import { Injectable } from '@nestjs/common';
import {
  Listing,
  type ListingFields,
  type ListingFilters,
  type ListingQuery,
} from '../../common/database/listing.js';
import { PrismaService } from '../../common/database/prisma.service.js';
import type { Prisma } from '../../generated/prisma/client.js';

/**
 * A mailbox as the operations console lists it: the row and the credential's schedule and last
 * failure. The credential's tokens are never read here.
 */
export interface MailboxListing {
  id: string;
  workspaceId: string;
  email: string;
  displayName: string | null;
  connectionType: 'delegated' | 'organization';
  tenantId: string;
  msUserId: string;
  status: 'active' | 'needs_reauth' | 'error';
  statusReason: string | null;
  statusReasonSince: Date | null;
  connectedByUserId: string | null;
  organizationId: string | null;
  inboundEnabled: boolean;
  inboundPurpose: string;
  inboundBehavior: string;
  connected: boolean;
  connectedAt: Date;
  disconnectedAt: Date | null;
  tokenRefreshedAt: Date | null;
  tokenExpiresAt: Date | null;
  nextTokenRefreshAt: Date | null;
  tokenRefreshAttempts: number | null;
  lastTokenRefreshError: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export const MAILBOX_LISTING_FIELDS: ListingFields = {
  id: { kind: 'equals' },
  workspaceId: { kind: 'equals' },
  email: { kind: 'contains' },
  displayName: { kind: 'contains' },
  connectionType: { kind: 'enum', values: ['delegated', 'organization'] },
  tenantId: { kind: 'equals' },
  status: { kind: 'enum', values: ['active', 'needs_reauth', 'error'] },
  statusReason: { kind: 'contains' },
  organizationId: { kind: 'equals' },
  inboundEnabled: { kind: 'boolean' },
  inboundPurpose: {
    kind: 'enum',
    values: ['new_business', 'support', 'general', 'billing', 'personal'],
  },
  inboundBehavior: { kind: 'enum', values: ['full_auto', 'reply_only', 'triage_only', 'disabled'] },
  connected: { kind: 'isNull', column: 'disconnectedAt' },
  connectedAt: { kind: 'date' },
  tokenRefreshedAt: { kind: 'date' },
  createdAt: { kind: 'date' },
  updatedAt: { kind: 'date' },
};

const LISTING = new Listing<Prisma.MailboxWhereInput>(MAILBOX_LISTING_FIELDS, {
  field: 'connectedAt',
  direction: 'desc',
});

const SELECT = {
  id: true,
  workspaceId: true,
  email: true,
  displayName: true,
  connectionType: true,
  tenantId: true,
  msUserId: true,
  status: true,
  statusReason: true,
  statusReasonSince: true,
  connectedByUserId: true,
  organizationId: true,
  inboundEnabled: true,
  inboundPurpose: true,
  inboundBehavior: true,
  connectedAt: true,
  disconnectedAt: true,
  tokenRefreshedAt: true,
  createdAt: true,
  updatedAt: true,
  credential: {
    select: {
      accessTokenExpiresAt: true,
      nextRefreshAt: true,
      refreshAttempts: true,
      lastRefreshError: true,
    },
  },
} satisfies Prisma.MailboxSelect;

type Selected = Prisma.MailboxGetPayload<{ select: typeof SELECT }>;

/** Cross-workspace reads of mailboxes for the operations console. */
@Injectable()
export class MailboxListingRepository {
  constructor(private readonly prisma: PrismaService) {}

  async listing(query: ListingQuery): Promise<MailboxListing[]> {
    const rows = await LISTING.rows(query, (args) =>
      this.prisma.mailbox.findMany({ ...args, select: SELECT }),
    );
    return rows.map(toListing);
  }

  count(filters: ListingFilters): Promise<number> {
    return LISTING.count(filters, (where) => this.prisma.mailbox.count({ where }));
  }
}

function toListing({ credential, ...row }: Selected): MailboxListing {
  return {
    ...row,
    connected: row.disconnectedAt === null,
    tokenExpiresAt: credential?.accessTokenExpiresAt ?? null,
    nextTokenRefreshAt: credential?.nextRefreshAt ?? null,
    tokenRefreshAttempts: credential?.refreshAttempts ?? null,
    lastTokenRefreshError: credential?.lastRefreshError ?? null,
  };
}
