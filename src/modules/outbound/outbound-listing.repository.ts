import { Injectable } from '@nestjs/common';
import {
  Listing,
  type ListingFields,
  type ListingFilter,
  type ListingFilters,
  type ListingQuery,
} from '../../common/database/listing.js';
import { PrismaService } from '../../common/database/prisma.service.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { PACE_WAIT_REASONS, WAITING_REASONS, type WaitingReason } from './pace.rules.js';

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
  /** Queued messages only: why it is not going yet (null when due now or not queued). */
  waitingReason: WaitingReason | null;
  /** Queued messages only: when it is expected to be tried next (its next_attempt_at). */
  expectedAt: Date | null;
  /** Queued and waiting on the outreach pace (one of PACE_WAIT_REASONS). */
  heldByPace: boolean;
  isReply: boolean;
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
  // Only queued messages have a reason (see virtualWhere): a stale one is neither shown nor found.
  waitingReason: { kind: 'enum', values: WAITING_REASONS },
  isReply: { kind: 'boolean' },
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
  waitingReason: true,
  isReply: true,
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
type Where = Prisma.OutboundMessageWhereInput;

const LISTING = new Listing<Where>(FIELDS, { field: 'createdAt', direction: 'desc' });
const PACE: readonly string[] = PACE_WAIT_REASONS;

/**
 * The conditions `Listing` cannot say on its own: a waiting reason only counts on a queued
 * message (the column may keep a stale value after the message left the queue), and
 * `heldByPace` is a virtual true/false: queued and waiting on one of the four pace reasons.
 * Null when a value can match nothing (the caller then answers with no rows, without a query).
 */
function virtualWhere(filters: ListingFilters): Where | null {
  const and: Where[] = [];
  if (Object.hasOwn(filters, 'waitingReason')) and.push({ status: 'queued' });
  if (Object.hasOwn(filters, 'heldByPace')) {
    const held = booleanValue(filters.heldByPace);
    if (held === null) return null;
    const reasons = [...PACE_WAIT_REASONS];
    // Spelled out for false: NOT (… IN …) would drop the rows whose reason is NULL.
    and.push(
      held
        ? { status: 'queued', waitingReason: { in: reasons } }
        : {
            OR: [
              { status: { not: 'queued' } },
              { waitingReason: null },
              { waitingReason: { notIn: reasons } },
            ],
          },
    );
  }
  return { AND: and };
}

function booleanValue(value: ListingFilter): boolean | null {
  return value === 'true' ? true : value === 'false' ? false : null;
}

function withVirtual(where: Where, filters: ListingFilters): Where | null {
  const extra = virtualWhere(filters);
  return extra ? { AND: [where, extra] } : null;
}

/** Cross-workspace reads of outbound messages for the operations console. */
@Injectable()
export class OutboundListingRepository {
  constructor(private readonly prisma: PrismaService) {}

  async listing(query: ListingQuery): Promise<OutboundListing[]> {
    const rows = await LISTING.rows(query, ({ where, ...page }) => {
      const all = withVirtual(where, query.filters);
      return all
        ? this.prisma.outboundMessage.findMany({ where: all, select: SELECT, ...page })
        : Promise.resolve([]);
    });
    return rows.map(toListing);
  }

  count(filters: ListingFilters): Promise<number> {
    return LISTING.count(filters, (where) => {
      const all = withVirtual(where, filters);
      return all ? this.prisma.outboundMessage.count({ where: all }) : Promise.resolve(0);
    });
  }
}

function toListing({ toRecipients, waitingReason, ...row }: Selected): OutboundListing {
  const emails = Array.isArray(toRecipients)
    ? toRecipients.map((r) => (r && typeof r === 'object' && 'email' in r ? String(r.email) : ''))
    : [];
  const queued = row.status === 'queued';
  // As GET /v1/messages/:id answers it (toMessageResponse): only a queued message waits.
  const reason = queued ? (waitingReason as WaitingReason | null) : null;
  return {
    ...row,
    to: emails.filter(Boolean).join(', '),
    waitingReason: reason,
    expectedAt: queued ? row.nextAttemptAt : null,
    heldByPace: reason !== null && PACE.includes(reason),
  };
}
