import { Injectable } from '@nestjs/common';
import {
  Listing,
  type ListingFields,
  type ListingFilters,
  type ListingQuery,
  listingOrder,
  listingWhere,
  listingWindow,
} from '../../common/database/listing.js';
import { PrismaService } from '../../common/database/prisma.service.js';
import { InboundAction, InboundStage, type Prisma } from '../../generated/prisma/client.js';
import { REPLY_MODES, REPLY_STATUSES, type StoredPolicy } from './reply-policy.rules.js';
import {
  aiReplyStatus,
  consoleReplyStatus,
  type ConsoleReplyStatus,
  subscriptionFailure,
} from './inbound-console.rules.js';
import { CATEGORIES } from './triage.rules.js';

export const INBOUND_STAGES = Object.values(InboundStage);
export const INBOUND_ACTIONS = Object.values(InboundAction);
export const DELIVERY_STATES = ['active', 'paused', 'stopped'] as const;
export const DELIVERY_MODES = ['notifications', 'polling'] as const;
export { CATEGORIES as INBOUND_CATEGORIES };

/**
 * An inbound message as the operations console lists it: who wrote, what the AI decided, what
 * was done and where its AI reply stands. The reply's text and the pipeline's lease are left out.
 */
export type InboundMessageListing = Prisma.InboundMessageGetPayload<{
  select: typeof MESSAGE_SELECT;
}> & { replyStatus: ConsoleReplyStatus; aiReplyId: string | null };

/**
 * An AI reply (a message with a reply marker) as the console lists it: whom it answers, its
 * mode, status and times; never its text. `inboundMessageId` is the message answered (= id).
 */
export type AiReplyListing = Omit<
  Prisma.InboundMessageGetPayload<{ select: typeof REPLY_SELECT }>,
  'replyStatus'
> & {
  status: string;
  inboundMessageId: string;
  sendAt: Date | null;
};

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

const MESSAGES = new Listing<Prisma.InboundMessageWhereInput>(
  {
    id: { kind: 'equals' },
    workspaceId: { kind: 'equals' },
    mailboxId: { kind: 'equals' },
    stage: { kind: 'enum', values: INBOUND_STAGES },
    action: { kind: 'enum', values: INBOUND_ACTIONS },
    category: { kind: 'enum', values: CATEGORIES },
    escalationTopic: { kind: 'equals' },
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
  },
  { field: 'createdAt', direction: 'desc' },
);

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
  escalationTopic: true,
  replyMarker: true,
  replyMode: true,
  replyStatus: true,
  replyOutboundId: true,
  replyBookedAt: true,
  replyInternetMessageId: true,
  replySentAt: true,
  processedAt: true,
  createdAt: true,
  updatedAt: true,
} satisfies Prisma.InboundMessageSelect;

/** `status` is virtual: the reply's status, derived from the action for rows made before it. */
const REPLIES = new Listing<Prisma.InboundMessageWhereInput>(
  {
    id: { kind: 'equals' },
    workspaceId: { kind: 'equals' },
    mailboxId: { kind: 'equals' },
    replyMode: { kind: 'enum', values: REPLY_MODES },
    reason: { kind: 'contains' },
    fromAddress: { kind: 'contains' },
    subject: { kind: 'contains' },
    conversationId: { kind: 'equals' },
    replyEdited: { kind: 'boolean' },
    createdAt: { kind: 'date' },
    replyBookedAt: { kind: 'date' },
    replyDecidedAt: { kind: 'date' },
    replySentAt: { kind: 'date' },
  },
  { field: 'createdAt', direction: 'desc' },
);

const REPLY_SELECT = {
  id: true,
  workspaceId: true,
  mailboxId: true,
  stage: true,
  action: true,
  reason: true,
  fromAddress: true,
  subject: true,
  conversationId: true,
  replyMode: true,
  replyStatus: true,
  replyDraftId: true,
  replyEdited: true,
  replyBookedAt: true,
  replyDecidedAt: true,
  replySentAt: true,
  replyOutboundId: true,
  nextAttemptAt: true,
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

/** Cross-workspace reads of inbound messages, AI replies and deliveries for the console. */
@Injectable()
export class InboundConsoleRepository {
  constructor(private readonly prisma: PrismaService) {}

  async messages(query: ListingQuery): Promise<InboundMessageListing[]> {
    const rows = await MESSAGES.rows(query, (args) =>
      this.prisma.inboundMessage.findMany({ ...args, select: MESSAGE_SELECT }),
    );
    return rows.map((row) => ({
      ...row,
      replyStatus: consoleReplyStatus(row),
      aiReplyId: row.replyMarker ? row.id : null,
    }));
  }

  countMessages(filters: ListingFilters): Promise<number> {
    return MESSAGES.count(filters, (where) => this.prisma.inboundMessage.count({ where }));
  }

  async replies(query: ListingQuery): Promise<AiReplyListing[]> {
    const { status, ...filters } = query.filters;
    const only = repliesWhere(status);
    if (!only) return [];
    const rows = await REPLIES.rows({ ...query, filters }, (args) =>
      this.prisma.inboundMessage.findMany({
        ...args,
        where: { AND: [args.where, only] },
        select: REPLY_SELECT,
      }),
    );
    return rows.map(({ replyStatus, ...row }) => {
      const current = aiReplyStatus({ replyStatus, action: row.action });
      return {
        ...row,
        status: current,
        inboundMessageId: row.id,
        sendAt: current === 'scheduled' ? row.nextAttemptAt : null,
      };
    });
  }

  countReplies(filters: ListingFilters): Promise<number> {
    const { status, ...rest } = filters;
    const only = repliesWhere(status);
    if (!only) return Promise.resolve(0);
    return REPLIES.count(rest, (where) =>
      this.prisma.inboundMessage.count({ where: { AND: [where, only] } }),
    );
  }

  /** The stored reply policies of these mailboxes (no row: the mailbox has none). */
  async policies(mailboxIds: string[]): Promise<Map<string, StoredPolicy>> {
    if (mailboxIds.length === 0) return new Map();
    const rows = await this.prisma.inboundReplyPolicy.findMany({
      where: { mailboxId: { in: mailboxIds } },
    });
    return new Map(rows.map((row) => [row.mailboxId, row]));
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

/**
 * Messages with an AI reply, in one status or all; null when the status filter is not one
 * (matches nothing). Rows made before reply statuses count as aiReplyStatus derives them.
 */
function repliesWhere(status: ListingFilters[string] | undefined) {
  const replies: Prisma.InboundMessageWhereInput = { replyMarker: { not: null } };
  if (status === undefined) return replies;
  if (typeof status !== 'string' || !(REPLY_STATUSES as readonly string[]).includes(status))
    return null;
  const legacy: Prisma.InboundMessageWhereInput =
    status === 'sent'
      ? { action: 'replied' }
      : status === 'failed'
        ? { action: 'failed' }
        : status === 'sending'
          ? { OR: [{ action: null }, { action: { notIn: ['replied', 'failed'] } }] }
          : { id: { in: [] } };
  return {
    ...replies,
    OR: [{ replyStatus: status }, { replyStatus: null, ...legacy }],
  } satisfies Prisma.InboundMessageWhereInput;
}

function subscriptionOrder(sort: ListingQuery['sort']) {
  const named = sort?.field === 'id' ? { ...sort, field: 'mailboxId' } : sort;
  return listingOrder(SUBSCRIPTION_FIELDS, named, { field: 'updatedAt', direction: 'desc' }).map(
    (order) => ('id' in order ? { mailboxId: order.id } : order),
  );
}
