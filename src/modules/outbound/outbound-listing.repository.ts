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

/**
 * An outbound message as the operations console lists it: where it stands and why, with its
 * "to" addresses; bodies, cc/bcc and internal markers are left out.
 */
export interface OutboundListing {
  id: string;
  workspaceId: string;
  senderProfileId: string;
  identityId: string | null;
  mailboxId: string | null;
  fromEmail: string | null;
  to: string;
  recipientCount: number;
  subject: string;
  status: 'queued' | 'sending' | 'sent' | 'failed' | 'cancelled';
  attempts: number;
  nextAttemptAt: Date;
  errorCode: string | null;
  errorMessage: string | null;
  internetMessageId: string | null;
  conversationId: string | null;
  sendingStartedAt: Date | null;
  sentAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export const OUTBOUND_STATUSES = ['queued', 'sending', 'sent', 'failed', 'cancelled'] as const;

const FIELDS: ListingFields = {
  id: { kind: 'equals' },
  workspaceId: { kind: 'equals' },
  senderProfileId: { kind: 'equals' },
  identityId: { kind: 'equals' },
  mailboxId: { kind: 'equals' },
  fromEmail: { kind: 'contains' },
  subject: { kind: 'contains' },
  status: { kind: 'enum', values: OUTBOUND_STATUSES },
  attempts: { kind: 'number' },
  errorCode: { kind: 'contains' },
  nextAttemptAt: { kind: 'date' },
  sentAt: { kind: 'date' },
  createdAt: { kind: 'date' },
  updatedAt: { kind: 'date' },
};

const SELECT = {
  id: true,
  workspaceId: true,
  senderProfileId: true,
  identityId: true,
  mailboxId: true,
  fromEmail: true,
  toRecipients: true,
  recipientCount: true,
  subject: true,
  status: true,
  attempts: true,
  nextAttemptAt: true,
  errorCode: true,
  errorMessage: true,
  internetMessageId: true,
  conversationId: true,
  sendingStartedAt: true,
  sentAt: true,
  createdAt: true,
  updatedAt: true,
} satisfies Prisma.OutboundMessageSelect;

type Selected = Prisma.OutboundMessageGetPayload<{ select: typeof SELECT }>;

/** Cross-workspace reads of outbound messages for the operations console. */
@Injectable()
export class OutboundListingRepository {
  constructor(private readonly prisma: PrismaService) {}

  async listing(query: ListingQuery): Promise<OutboundListing[]> {
    const where = listingWhere(FIELDS, query.filters);
    if (!where) return [];
    const rows = await this.prisma.outboundMessage.findMany({
      where: where as Prisma.OutboundMessageWhereInput,
      select: SELECT,
      orderBy: listingOrder(FIELDS, query.sort, { field: 'createdAt', direction: 'desc' }),
      ...listingWindow(query),
    });
    return rows.map(toListing);
  }

  async count(filters: ListingFilters): Promise<number> {
    const where = listingWhere(FIELDS, filters);
    return where
      ? this.prisma.outboundMessage.count({ where: where as Prisma.OutboundMessageWhereInput })
      : 0;
  }
}

function toListing({ toRecipients, ...row }: Selected): OutboundListing {
  const emails = Array.isArray(toRecipients)
    ? toRecipients.map((r) => (r && typeof r === 'object' && 'email' in r ? String(r.email) : ''))
    : [];
  return { ...row, to: emails.filter(Boolean).join(', ') };
}
