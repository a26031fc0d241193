import { Injectable, Logger } from '@nestjs/common';
import { PrismaService } from '../../common/database/prisma.service.js';
import { SubscriptionRepository } from './subscription.repository.js';

/** Pausing, resuming and stopping a mailbox's delivery as the mailbox's state changes. */
@Injectable()
export class DeliveryLifecycleService {
  private readonly logger = new Logger(DeliveryLifecycleService.name);

  constructor(
    private readonly subscriptions: SubscriptionRepository,
    private readonly prisma: PrismaService,
  ) {}

  async pause(mailboxId: string, reason: string): Promise<void> {
    if (await this.subscriptions.pause(mailboxId, reason))
      this.logger.log({ mailboxId, reason }, 'inbound delivery paused');
  }

  async resume(mailboxId: string): Promise<void> {
    if (await this.subscriptions.resume(mailboxId, new Date()))
      this.logger.log({ mailboxId }, 'inbound delivery resumed');
  }

  /** Disconnected: the Graph subscription is deleted by the subscription job. */
  async stop(mailboxId: string): Promise<void> {
    const stopped = await this.prisma.$transaction((tx) =>
      this.subscriptions.stop(tx, mailboxId, new Date()),
    );
    if (stopped) this.logger.log({ mailboxId }, 'inbound delivery stopped');
  }
}
