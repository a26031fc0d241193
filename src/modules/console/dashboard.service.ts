import { Injectable } from '@nestjs/common';
import { WorkspaceService } from '../../common/auth/workspace.service.js';
import type { ListingFilters, ListingQuery } from '../../common/database/listing.js';
import { OutboxService } from '../../common/events/outbox.service.js';
import {
  AiReplyConsoleService,
  InboundMessageListingService,
  InboundSubscriptionListingService,
} from '../inbound/inbound-console.service.js';
import { MailboxListingService } from '../mailbox/mailbox-listing.service.js';
import { OutboundListingService } from '../outbound/outbound-listing.service.js';
import { SuppressionListingService } from '../outbound/suppression-console.service.js';
import { dashboardHref, type DashboardCard, describeAge } from './dashboard.rules.js';

export interface Dashboard {
  generatedAt: string;
  cards: DashboardCard[];
}

const DAY_MS = 24 * 3600_000;

/**
 * Where an operator should look: each count is the total of the very list it links to (same
 * service, same filters), so the number on the card is what the list shows.
 */
@Injectable()
export class ConsoleDashboardService {
  constructor(
    private readonly mailboxes: MailboxListingService,
    private readonly outbound: OutboundListingService,
    private readonly subscriptions: InboundSubscriptionListingService,
    private readonly suppressions: SuppressionListingService,
    private readonly replies: AiReplyConsoleService,
    private readonly inbound: InboundMessageListingService,
    private readonly outbox: OutboxService,
    private readonly workspaces: WorkspaceService,
  ) {}

  async dashboard(now = new Date()): Promise<Dashboard> {
    const since = new Date(now.getTime() - DAY_MS).toISOString();
    const cards = await Promise.all([
      this.card(
        'mailboxes-reauth',
        'Mailboxes needing re-auth or consent',
        'mailboxes',
        this.mailboxes,
        {
          status: 'needs_reauth',
          connected: 'true',
        },
      ),
      this.card('mailboxes-error', 'Mailboxes in error', 'mailboxes', this.mailboxes, {
        status: 'error',
        connected: 'true',
      }),
      this.card('token-refresh-failing', 'Token refresh failing', 'mailboxes', this.mailboxes, {
        statusReason: 'token_refresh_failing',
        connected: 'true',
      }),
      this.card(
        'failing-subscriptions',
        'Failing inbound subscriptions',
        'inbound_subscriptions',
        { count: (filters) => this.subscriptions.count(filters, now) },
        { failing: 'true' },
      ),
      this.card('parked-events', 'Parked events', 'outbox_events', this.outbox, {
        status: 'parked',
      }),
      this.card('failed-24h', 'Sends failed in the last 24 h', 'outbound_messages', this.outbound, {
        status: 'failed',
        updatedAt: { from: since },
      }),
      // Queue depth, and how long the oldest queued message has waited.
      this.oldestCard(
        'queue',
        'Queued messages',
        'outbound_messages',
        this.outbound,
        { status: 'queued' },
        now,
        15 * 60_000,
        (age) => `oldest queued ${age} ago`,
      ),
      // Queued messages the outreach pace holds back (window, daily cap, ramp, minimum gap):
      // the pace doing its job, so amber, not red.
      this.card(
        'held-by-pace',
        'Held by pace',
        'outbound_messages',
        this.outbound,
        { heldByPace: 'true' },
        'warn',
      ),
      this.card(
        'send-outcome-unknown',
        'Sends with unknown outcome',
        'outbound_messages',
        this.outbound,
        {
          status: 'sending',
          errorCode: 'send_outcome_unknown',
        },
      ),
      // Drafts a person has to approve or discard in the customer's mailbox: the prospect waits
      // meanwhile; red once the oldest has waited a day.
      this.oldestCard(
        'ai-replies-awaiting-review',
        'AI replies awaiting review',
        'ai_replies',
        this.replies,
        { status: 'awaiting_review' },
        now,
        DAY_MS,
        (age) => `oldest waiting ${age}`,
      ),
      // Messages handed to a person (an escalation topic or low confidence): worth a look.
      this.card(
        'escalated-24h',
        'Escalated in the last 24 h',
        'inbound_messages',
        this.inbound,
        { action: 'escalated', processedAt: { from: since } },
        'warn',
      ),
      // New suppressions: worth a look (a bounce wave, a complaint), not an alarm by themselves.
      this.card(
        'suppressed-24h',
        'Suppressed in the last 24 h',
        'suppressions',
        this.suppressions,
        { createdAt: { from: since } },
        'warn',
      ),
      this.card('suspended-workspaces', 'Suspended workspaces', 'workspaces', this.workspaces, {
        status: 'suspended',
      }),
    ]);
    return { generatedAt: now.toISOString(), cards };
  }

  /** `whenAny`: the tone while the list has any (red, or amber for "worth a look"). */
  private async card(
    key: string,
    label: string,
    resource: string,
    source: { count(filters: ListingFilters): Promise<number> },
    filters: ListingFilters,
    whenAny: 'warn' | 'bad' = 'bad',
  ): Promise<DashboardCard> {
    const count = await source.count(filters);
    return {
      key,
      label,
      count,
      href: dashboardHref(resource, filters),
      tone: count > 0 ? whenAny : 'ok',
    };
  }

  /**
   * A card whose list has an age: amber while it has any, red once its oldest is older than
   * `redAfterMs`; `detail` says how old that one is, and the card links to it.
   */
  private async oldestCard(
    key: string,
    label: string,
    resource: string,
    source: {
      count(filters: ListingFilters): Promise<number>;
      listing(query: ListingQuery): Promise<{ id: string; createdAt: Date }[]>;
    },
    filters: ListingFilters,
    now: Date,
    redAfterMs: number,
    detail: (age: string) => string,
  ): Promise<DashboardCard> {
    const card = await this.card(key, label, resource, source, filters);
    const [oldest] = await source.listing({
      filters,
      sort: { field: 'createdAt', direction: 'asc' },
      offset: 0,
      limit: 1,
    });
    if (!oldest) return { ...card, tone: 'ok' };
    return {
      ...card,
      tone: now.getTime() - oldest.createdAt.getTime() > redAfterMs ? 'bad' : 'warn',
      detail: detail(describeAge(oldest.createdAt, now)),
      detailHref: `/admin/resources/${resource}/records/${encodeURIComponent(oldest.id)}/show`,
    };
  }
}
