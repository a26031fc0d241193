import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/auth/actor.js';
import { MailboxService } from '../mailbox/mailbox.service.js';
import { InboundMessageRepository, type InboundMessageRow } from './inbound-message.repository.js';

/** Reads of inbound messages for the workspace (newest first). */
@Injectable()
export class InboundQueryService {
  constructor(
    private readonly messages: InboundMessageRepository,
    private readonly mailboxes: MailboxService,
  ) {}

  async list(
    actor: Actor,
    filter: { mailboxId?: string; action?: string },
    limit: number,
    cursor?: string,
  ): Promise<{ items: InboundMessageRow[]; nextCursor: string | null }> {
    if (filter.mailboxId) await this.mailboxes.get(actor, filter.mailboxId);
    const rows = await this.messages.page(actor.workspaceId, filter, limit + 1, cursor);
    const items = rows.slice(0, limit);
    return { items, nextCursor: rows.length > limit ? items[items.length - 1].id : null };
  }
}
