import { Injectable, Logger } from '@nestjs/common';
import type { Actor } from '../../common/auth/actor.js';
import { AppConfig } from '../../common/config/app-config.js';
import type { ListingFilters, ListingQuery } from '../../common/database/listing.js';
import { AiReplyService } from './ai-reply.service.js';
import {
  type AiReplyListing,
  InboundConsoleRepository,
  type InboundMessageListing,
  type SubscriptionListing,
} from './inbound-console.repository.js';
import { consoleReplyPolicy } from './inbound-console.rules.js';
import type { InboundMessageRow } from './inbound-message.repository.js';
import type { ReplyPolicy } from './reply-policy.rules.js';

export type {
  AiReplyListing,
  InboundMessageListing,
  SubscriptionListing,
} from './inbound-console.repository.js';
export type { ReplyPolicy } from './reply-policy.rules.js';
export type { EscalationTopic } from './escalation.rules.js';
export {
  DELIVERY_MODES,
  DELIVERY_STATES,
  INBOUND_ACTIONS,
  INBOUND_CATEGORIES,
  INBOUND_STAGES,
} from './inbound-console.repository.js';
export { REPLY_MODES, REPLY_STATUSES } from './reply-policy.rules.js';

/** Inbound messages of every workspace with their decisions, for the operations console. */
@Injectable()
export class InboundMessageListingService {
  constructor(private readonly inbound: InboundConsoleRepository) {}

  listing(query: ListingQuery): Promise<InboundMessageListing[]> {
    return this.inbound.messages(query);
  }

  count(filters: ListingFilters): Promise<number> {
    return this.inbound.countMessages(filters);
  }
}

/**
 * Inbound delivery of every mailbox (read only; no clientState hash, no delta link). The
 * virtual filter `failing` ('true'/'false') selects the rows whose `failing` column is so.
 */
@Injectable()
export class InboundSubscriptionListingService {
  constructor(private readonly inbound: InboundConsoleRepository) {}

  listing(query: ListingQuery, now = new Date()): Promise<SubscriptionListing[]> {
    return this.inbound.subscriptions(query, now);
  }

  count(filters: ListingFilters, now = new Date()): Promise<number> {
    return this.inbound.countSubscriptions(filters, now);
  }
}

/**
 * AI replies of every workspace (drafts awaiting review, scheduled, sent, discarded, …; never
 * their text; virtual filter `status`), and the two commands staff may give: discard a draft,
 * cancel a scheduled reply. Both run AiReplyService's own discard / cancel (the REST routes'),
 * which writes the audit row naming the staff member in the same transaction as the change.
 * No approve: staff do not send mail as a customer.
 */
@Injectable()
export class AiReplyConsoleService {
  private readonly logger = new Logger(AiReplyConsoleService.name);

  constructor(
    private readonly inbound: InboundConsoleRepository,
    private readonly replies: AiReplyService,
  ) {}

  listing(query: ListingQuery): Promise<AiReplyListing[]> {
    return this.inbound.replies(query);
  }

  count(filters: ListingFilters): Promise<number> {
    return this.inbound.countReplies(filters);
  }

  /** Deletes the draft in the mailbox's Drafts folder; nothing is sent (409 unless awaiting review). */
  async discard(actor: Actor, id: string): Promise<InboundMessageRow> {
    const row = await this.replies.discard(actor, id);
    this.logger.log(
      { inboundMessageId: row.id, actor: actor.kind ?? 'user' },
      'AI reply discarded',
    );
    return row;
  }

  /** Cancels a delayed reply in its undo window: never sent (409 unless scheduled). */
  async cancel(actor: Actor, id: string): Promise<InboundMessageRow> {
    const row = await this.replies.cancel(actor, id);
    this.logger.log(
      { inboundMessageId: row.id, actor: actor.kind ?? 'user' },
      'AI reply cancelled',
    );
    return row;
  }
}

export interface ReplyPolicyView {
  /** stored: its own row; defaults: enabled before reply modes; none: Inbound AI never set. */
  source: 'stored' | 'defaults' | 'none';
  policy: ReplyPolicy | null;
}

/** The reply policies of a page of mailboxes (one query), as the pipeline would apply them. */
@Injectable()
export class ReplyPolicyListingService {
  constructor(
    private readonly inbound: InboundConsoleRepository,
    private readonly config: AppConfig,
  ) {}

  async forMailboxes(
    mailboxes: { id: string; inboundEnabled: boolean }[],
  ): Promise<Map<string, ReplyPolicyView>> {
    const stored = await this.inbound.policies(mailboxes.map((m) => m.id));
    const floor = this.config.inbound.minReplyConfidence;
    return new Map(
      mailboxes.map((m) => [
        m.id,
        consoleReplyPolicy(stored.get(m.id) ?? null, m.inboundEnabled, floor),
      ]),
    );
  }
}
