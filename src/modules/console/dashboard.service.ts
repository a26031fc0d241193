import { Injectable } from '@nestjs/common';
import { WorkspaceService } from '../../common/auth/workspace.service.js';
import type { ListingFilters } from '../../common/database/listing.js';
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
      this.queueCard(now),
      this.heldByPaceCard(),
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
      this.reviewCard(now),
      this.escalatedCard(since),
      this.suppressedCard(since),
      this.card('suspended-workspaces', 'Suspended workspaces', 'workspaces', this.workspaces, {
        status: 'suspended',
      }),
    ]);
    return { generatedAt: now.toISOString(), cards };
  }

  private async card(
    key: string,
    label: string,
    resource: string,
    source: { count(filters: ListingFilters): Promise<number> },
    filters: ListingFilters,
  ): Promise<DashboardCard> {
    const count = await source.count(filters);
    return {
      key,
      label,
      count,
      href: dashboardHref(resource, filters),
      tone: count > 0 ? 'bad' : 'ok',
    };
  }

  /** New suppressions: worth a look (a bounce wave, a complaint), not an alarm by themselves. */
  private async suppressedCard(since: string): Promise<DashboardCard> {
    const card = await this.card(
      'suppressed-24h',
      'Suppressed in the last 24 h',
      'suppressions',
      this.suppressions,
      { createdAt: { from: since } },
    );
    return { ...card, tone: card.count > 0 ? 'warn' : 'ok' };
  }

  /**
   * Drafts a person has to approve or discard in the customer's mailbox: the prospect waits
   * meanwhile. Amber; red once the oldest has waited a day. Linked to the oldest too.
   */
  private async reviewCard(now: Date): Promise<DashboardCard> {
    const filters = { status: 'awaiting_review' };
    const card = await this.card(
      'ai-replies-awaiting-review',
      'AI replies awaiting review',
      'ai_replies',
      this.replies,
      filters,
    );
    const [oldest] = await this.replies.listing({
      filters,
      sort: { field: 'createdAt', direction: 'asc' },
      offset: 0,
      limit: 1,
    });
    if (!oldest) return { ...card, tone: 'ok' };
    return {
      ...card,
      tone: now.getTime() - oldest.createdAt.getTime() > DAY_MS ? 'bad' : 'warn',
      detail: `oldest waiting ${describeAge(oldest.createdAt, now)}`,
      detailHref: `/admin/resources/ai_replies/records/${encodeURIComponent(oldest.id)}/show`,
    };
  }

  /** Messages handed to a person (an escalation topic or low confidence): worth a look. */
  private async escalatedCard(since: string): Promise<DashboardCard> {
    const card = await this.card(
      'escalated-24h',
      'Escalated in the last 24 h',
      'inbound_messages',
      this.inbound,
      { action: 'escalated', processedAt: { from: since } },
    );
    return { ...card, tone: card.count > 0 ? 'warn' : 'ok' };
  }

  /**
   * Queued messages the outreach pace holds back (window, daily cap, ramp, minimum gap): the
   * pace doing its job, so amber, not red; linked to the list filtered the same way.
   */
  private async heldByPaceCard(): Promise<DashboardCard> {
    const card = await this.card(
      'held-by-pace',
      'Held by pace',
      'outbound_messages',
      this.outbound,
      { heldByPace: 'true' },
    );
    return { ...card, tone: card.count > 0 ? 'warn' : 'ok' };
  }

  /** Queue depth, and how long the oldest queued message has waited (linked to it). */
  private async queueCard(now: Date): Promise<DashboardCard> {
    const filters = { status: 'queued' };
    const card = await this.card(
      'queue',
      'Queued messages',
      'outbound_messages',
      this.outbound,
      filters,
    );
    const [oldest] = await this.outbound.listing({
      filters,
      sort: { field: 'createdAt', direction: 'asc' },
      offset: 0,
      limit: 1,
    });
    if (!oldest) return { ...card, tone: 'ok' };
    return {
      ...card,
      tone: now.getTime() - oldest.createdAt.getTime() > 15 * 60_000 ? 'bad' : 'warn',
      detail: `oldest queued ${describeAge(oldest.createdAt, now)} ago`,
      detailHref: `/admin/resources/outbound_messages/records/${encodeURIComponent(oldest.id)}/show`,
    };
  }
}
