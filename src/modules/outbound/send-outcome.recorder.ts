import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../common/config/app-config.js';
import { PrismaService } from '../../common/database/prisma.service.js';
import { OutboxService } from '../../common/events/outbox.service.js';
import { GroupCommit } from '../../common/jobs/group-commit.js';
import { OutboundRepository, type MessageRow } from './outbound.repository.js';

export interface SendError {
  code: string;
  message: string;
}

/** Final outcomes of a message, each committed with its event. */
@Injectable()
export class SendOutcomeRecorder {
  private readonly logger = new Logger(SendOutcomeRecorder.name);

  constructor(
    private readonly messages: OutboundRepository,
    private readonly prisma: PrismaService,
    private readonly outbox: OutboxService,
    private readonly config: AppConfig,
  ) {}

  /**
   * Sent, with its `outbound.message-sent` event. Without details (the dispatcher's case) sends
   * that finish together are group-committed: one statement marks them all and records their
   * events (GroupCommit: alone, written at once; a caller returns only once its row is stored).
   */
  async sent(
    message: MessageRow,
    details: { internetMessageId?: string; conversationId?: string } = {},
  ): Promise<void> {
    if (!details.internetMessageId && !details.conversationId) {
      await this.sentGroup.add(message);
      return;
    }
    await this.prisma.$transaction(async (tx) => {
      const checkAt = new Date(Date.now() + this.config.outbound.sentItemsSettleMs);
      await this.messages.markSent(tx, message.id, details, checkAt);
      await this.outbox.record(tx, 'outbound.message-sent', {
        messageId: message.id,
        workspaceId: message.workspaceId,
        identityId: message.identityId as string,
        mailboxId: message.mailboxId as string,
        conversationId: details.conversationId ?? null,
      });
    });
  }

  private readonly sentGroup = new GroupCommit<MessageRow>((messages) =>
    this.messages.markSentManyWith(
      messages.map((m) => m.id),
      new Date(Date.now() + this.config.outbound.sentItemsSettleMs),
      this.outbox.eventsOfDone(
        'outbound.message-sent',
        messages.map((message) => ({
          key: message.id,
          payload: {
            messageId: message.id,
            workspaceId: message.workspaceId,
            identityId: message.identityId as string,
            mailboxId: message.mailboxId as string,
            conversationId: null,
          },
        })),
      ),
    ),
  );

  async failed(message: MessageRow, error: SendError): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      await this.messages.markFailed(tx, message.id, error);
      await this.outbox.record(tx, 'outbound.message-failed', {
        messageId: message.id,
        workspaceId: message.workspaceId,
        errorCode: error.code,
      });
    });
    this.logger.warn({ messageId: message.id, errorCode: error.code }, 'message failed');
  }

  async sendAsDenied(
    message: MessageRow,
    identity: { identityId: string; mailboxId: string },
  ): Promise<void> {
    await this.prisma.$transaction((tx) =>
      this.outbox.record(tx, 'identity.send-as-denied', {
        identityId: identity.identityId,
        mailboxId: identity.mailboxId,
        workspaceId: message.workspaceId,
      }),
    );
  }
}
