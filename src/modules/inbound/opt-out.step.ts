import { Injectable, Logger } from '@nestjs/common';
import { PrismaService } from '../../common/database/prisma.service.js';
import type { InboundSuppressionDetected } from '../../common/events/inbound.events.js';
import { OutboxService } from '../../common/events/outbox.service.js';
import type { MailboxRow } from '../mailbox/mailbox.service.js';
import { plainText } from './ai/ai-provider.js';
import type { GraphMessage } from './inbound-graph.client.js';
import { InboundMessageRepository, type InboundMessageRow } from './inbound-message.repository.js';
import { hardBouncedAddresses, isDeliveryReport, optOutOf } from './opt-out.rules.js';
import { OwnAddressesService } from './own-addresses.service.js';

type Reason = InboundSuppressionDetected['reason'];

/**
 * Reads what must put an address on the workspace's suppression list: a hard bounce (a
 * delivery report the loop guard skipped), or a person asking to unsubscribe or complaining
 * (never answered). The message is finished and the event recorded in one transaction.
 */
@Injectable()
export class OptOutStep {
  private readonly logger = new Logger(OptOutStep.name);

  constructor(
    private readonly messages: InboundMessageRepository,
    private readonly own: OwnAddressesService,
    private readonly prisma: PrismaService,
    private readonly outbox: OutboxService,
  ) {}

  /** A skipped delivery report that names hard-bounced addresses: true when it finished it. */
  async afterSkip(
    row: InboundMessageRow,
    message: GraphMessage,
    mailbox: MailboxRow,
    skip: string,
  ): Promise<boolean> {
    if (!isDeliveryReport(row.fromAddress, message.internetMessageHeaders ?? [])) return false;
    const own = new Set(await this.own.of(mailbox.workspaceId));
    own.add(mailbox.email.toLowerCase());
    const bounced = hardBouncedAddresses(plainText(message.body), own);
    if (bounced.length === 0) return false;
    await this.finish(row, mailbox, bounced, 'hard_bounce', {
      action: 'skipped',
      reason: skip,
      category: 'bounce',
    });
    return true;
  }

  /** A person asked not to be written to again (or complained): true when it finished it. */
  async beforeClassify(
    row: InboundMessageRow,
    message: GraphMessage,
    mailbox: MailboxRow,
  ): Promise<boolean> {
    const optOut = optOutOf(row.subject ?? '', plainText(message.body));
    if (!optOut || !row.fromAddress) return false;
    await this.finish(row, mailbox, [row.fromAddress], optOut, {
      action: 'triaged',
      reason: `opt_out:${optOut}`,
      category: optOut === 'complaint' ? 'spam' : 'other',
    });
    return true;
  }

  private async finish(
    row: InboundMessageRow,
    mailbox: MailboxRow,
    emails: string[],
    reason: Reason,
    outcome: { action: 'skipped' | 'triaged'; reason: string; category: string },
  ): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      await this.messages.finish(row.id, outcome, tx);
      for (const email of emails) {
        await this.outbox.record(tx, 'inbound.suppression-detected', {
          workspaceId: mailbox.workspaceId,
          mailboxId: mailbox.id,
          inboundMessageId: row.id,
          email,
          reason,
        });
      }
    });
    this.logger.log(
      { inboundMessageId: row.id, mailboxId: mailbox.id, reason, addresses: emails.length },
      'suppression detected',
    );
  }
}
