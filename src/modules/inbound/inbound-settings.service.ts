import { Injectable, Logger } from '@nestjs/common';
import { AuditService } from '../../common/audit/audit.service.js';
import type { Actor } from '../../common/auth/actor.js';
import { AppConfig } from '../../common/config/app-config.js';
import { PrismaService } from '../../common/database/prisma.service.js';
import {
  type InboundSettings,
  MailboxService,
  type MailboxRow,
} from '../mailbox/mailbox.service.js';
import type { InboundSettingsRequest } from './dto/inbound-settings.request.js';
import { SubscriptionRepository } from './subscription.repository.js';

/** Inbound AI settings of a mailbox; enabling starts delivery, disabling stops it. */
@Injectable()
export class InboundSettingsService {
  private readonly logger = new Logger(InboundSettingsService.name);

  constructor(
    private readonly mailboxes: MailboxService,
    private readonly subscriptions: SubscriptionRepository,
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  async update(
    actor: Actor,
    mailboxId: string,
    change: InboundSettingsRequest,
  ): Promise<MailboxRow> {
    const mailbox = await this.mailboxes.get(actor, mailboxId);
    const next: InboundSettings = {
      enabled: change.enabled ?? mailbox.inboundEnabled,
      purpose: change.purpose ?? mailbox.inboundPurpose,
      behavior: change.behavior ?? mailbox.inboundBehavior,
    };
    const deliver = next.enabled && next.behavior !== 'disabled';
    const now = new Date();
    await this.prisma.$transaction(async (tx) => {
      await this.mailboxes.setInbound(tx, mailbox.id, next);
      if (deliver) {
        const row = {
          mailboxId: mailbox.id,
          workspaceId: actor.workspaceId,
          mode: this.config.inbound.delivery,
        };
        await this.subscriptions.start(tx, row, now);
      } else await this.subscriptions.stop(tx, mailbox.id, now);
      await this.audit.record(tx, {
        workspaceId: actor.workspaceId,
        actor: { type: 'user', id: actor.userId },
        action: 'mailbox.inbound_updated',
        target: { type: 'mailbox', id: mailbox.id },
        metadata: { ...next, delivering: deliver },
      });
    });
    if (deliver && mailbox.status === 'needs_reauth')
      await this.subscriptions.pause(mailbox.id, 'mailbox_needs_reauth');
    this.logger.log({ mailboxId, ...next, delivering: deliver }, 'inbound settings updated');
    return this.mailboxes.get(actor, mailboxId);
  }
}
