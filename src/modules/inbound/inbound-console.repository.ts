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
import { replyStatus, subscriptionFailure } from './inbound-console.rules.js';
import { CATEGORIES } from './triage.rules.js';

export const INBOUND_STAGES = ['pending', 'replying', 'done'] as const;
export const INBOUND_ACTIONS = ['replied', 'triaged', 'skipped', 'failed'] as const;
export const DELIVERY_STATES = ['active', 'paused', 'stopped'] as const;
export const DELIVERY_MODES = ['notifications', 'polling'] as const;
export { CATEGORIES as INBOUND_CATEGORIES };

/**
 * An inbound message as the operations console lists it: who wrote, what the AI decided, what
 * was done and whether a reply went out. The reply's text and the pipeline's lease are left out.
 */
export type InboundMessageListing = Prisma.InboundMessageGetPayload<{
  select: typeof MESSAGE_SELECT;
}> & { replyStatus: 'sent' | 'booked' | 'none' };

/** A mailbox's inbound delivery; never its clientState hash or delta link (a Graph token). */
export type SubscriptionListing = Omit<
  Prisma.InboundSubscriptionGetPayload<{ select: typeof SUBSCRIPTION_SELECT }>,
  'deltaLink'
> & {
  id: string;
  hasDeltaPosition: boolean;
  failing: boolean;
  failure: 'error' | 'expired' | null;
};

const MESSAGE_FIELDS: ListingFields = {
  id: { kind: 'equals' },
  workspaceId: { kind: 'equals' },
  mailboxId: { kind: 'equals' },
  stage: { kind: 'enum', values: INBOUND_STAGES },
  action: { kind: 'enum', values: INBOUND_ACTIONS },
  category: { kind: 'enum', values: CATEGORIES },
  intent: { kind: 'contains' },
  provider: { kind: 'contains' },
  reason: { kind: 'contains' },
  fromAddress: { kind: 'contains' },
  subject: { kind: 'contains' },
  conversationId: { kind: 'equals' },
  internetMessageId: { kind: 'equals' },
  source: { kind: 'enum', values: ['notification', 'delta'] },
  attempts: { kind: 'number' },
  receivedAt: { kind: 'date' },
  processedAt: { kind: 'date' },
  replySentAt: { kind: 'date' },
  createdAt: { kind: 'date' },
};

const MESSAGE_SELECT = {
  id: true,
  workspaceId: true,
  mailboxId: true,
  graphMessageId: true,
  source: true,
  stage: true,
  attempts: true,
  nextAttemptAt: true,
  internetMessageId: true,
  conversationId: true,
  fromAddress: true,
  fromName: true,
  subject: true,
  receivedAt: true,
  category: true,
  intent: true,
  confidence: true,
  summary: true,
  provider: true,
  routedAt: true,
  routeError: true,
  action: true,
  reason: true,
  replyMarker: true,
  replyOutboundId: true,
  replyBookedAt: true,
  replyInternetMessageId: true,
  replySentAt: true,
  processedAt: true,
  createdAt: true,
  updatedAt: true,
} satisfies Prisma.InboundMessageSelect;

const SUBSCRIPTION_FIELDS: ListingFields = {
  mailboxId: { kind: 'equals' },
  workspaceId: { kind: 'equals' },
  state: { kind: 'enum', values: DELIVERY_STATES },
  mode: { kind: 'enum', values: DELIVERY_MODES },
  graphSubscriptionId: { kind: 'equals' },
  lastError: { kind: 'contains' },
  expiresAt: { kind: 'date' },
  renewAt: { kind: 'date' },
  catchUpAt: { kind: 'date' },
  lastCatchUpAt: { kind: 'date' },
  lastErrorAt: { kind: 'date' },
  createdAt: { kind: 'date' },
  updatedAt: { kind: 'date' },
};

const SUBSCRIPTION_SELECT = {
  mailboxId: true,
  workspaceId: true,
  state: true,
  mode: true,
  since: true,
  graphSubscriptionId: true,
  expiresAt: true,
  renewAt: true,
  deltaLink: true,
  catchUpAt: true,
  lastCatchUpAt: true,
  lastError: true,
  lastErrorAt: true,
  createdAt: true,
  updatedAt: true,
} satisfies Prisma.InboundSubscriptionSelect;

/** Cross-workspace reads of inbound messages and deliveries for the operations console. */
@Injectable()
export class InboundConsoleRepository {
  constructor(private readonly prisma: PrismaService) {}

  async messages(query: ListingQuery): Promise<InboundMessageListing[]> {
    const where = listingWhere(MESSAGE_FIELDS, query.filters);
    if (!where) return [];
    const rows = await this.prisma.inboundMessage.findMany({
      where: where as Prisma.InboundMessageWhereInput,
      select: MESSAGE_SELECT,
      orderBy: listingOrder(MESSAGE_FIELDS, query.sort, { field: 'createdAt', direction: 'desc' }),
      ...listingWindow(query),
    });
    return rows.map((row) => ({ ...row, replyStatus: replyStatus(row) }));
  }

  async countMessages(filters: ListingFilters): Promise<number> {
    const where = listingWhere(MESSAGE_FIELDS, filters);
    return where
      ? this.prisma.inboundMessage.count({ where: where as Prisma.InboundMessageWhereInput })
      : 0;
  }

  async subscriptions(query: ListingQuery, now: Date): Promise<SubscriptionListing[]> {
    const where = this.subscriptionWhere(query.filters, now);
    if (!where) return [];
    const rows = await this.prisma.inboundSubscription.findMany({
      where,
      select: SUBSCRIPTION_SELECT,
      orderBy: subscriptionOrder(query.sort),
      ...listingWindow(query),
    });
    return rows.map(({ deltaLink, ...row }) => {
      const failure = subscriptionFailure(row, now);
      return {
        id: row.mailboxId,
        ...row,
        hasDeltaPosition: deltaLink !== null,
        failing: !!failure,
        failure,
      };
    });
  }

  async countSubscriptions(filters: ListingFilters, now: Date): Promise<number> {
    const where = this.subscriptionWhere(filters, now);
    return where ? this.prisma.inboundSubscription.count({ where }) : 0;
  }

  /** The listing's filters; `id` is the mailbox id; `failing` is subscriptionFailure in SQL. */
  private subscriptionWhere(
    filters: ListingFilters,
    now: Date,
  ): Prisma.InboundSubscriptionWhereInput | null {
    const { id, failing, ...rest } = filters;
    const named =
      id !== undefined && rest.mailboxId === undefined ? { ...rest, mailboxId: id } : rest;
    const listed = listingWhere(SUBSCRIPTION_FIELDS, named);
    if (!listed) return null;
    const where = listed as Prisma.InboundSubscriptionWhereInput;
    if (failing === undefined) return where;
    if (failing !== 'true' && failing !== 'false') return null;
    const condition = this.failingCondition(now);
    return { AND: [where, failing === 'true' ? condition : { NOT: condition }] };
  }

  private failingCondition(now: Date): Prisma.InboundSubscriptionWhereInput {
    const fields = this.prisma.inboundSubscription.fields;
    return {
      state: { not: 'stopped' },
      OR: [
        {
          lastError: { not: null },
          OR: [
            { lastErrorAt: null },
            { lastCatchUpAt: null },
            { lastErrorAt: { gte: fields.lastCatchUpAt } },
          ],
        },
        {
          state: 'active',
          mode: 'notifications',
          graphSubscriptionId: { not: null },
          expiresAt: { not: null, lt: now },
        },
      ],
    };
  }
}

function subscriptionOrder(sort: ListingQuery['sort']) {
  const named = sort?.field === 'id' ? { ...sort, field: 'mailboxId' } : sort;
  return listingOrder(SUBSCRIPTION_FIELDS, named, { field: 'updatedAt', direction: 'desc' }).map(
    (order) => ('id' in order ? { mailboxId: order.id } : order),
  );
}
