import { Injectable, Logger } from '@nestjs/common';
import { GraphClientFactory } from '../../common/microsoft/graph-client.factory.js';
import { graphFailureOf } from '../../common/microsoft/graph-error.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { Prisma } from '../../generated/prisma/client.js';
import type { Actor } from '../auth/actor.js';
import { MailboxService } from '../mailbox/mailbox.service.js';
import { MailboxTokenService } from '../mailbox/mailbox-token.service.js';
import {
  IdentityExistsError,
  IdentityNotFoundError,
  IdentityNotRemovableError,
  MailboxNotActiveError,
  SendAsDeniedError,
} from './identity.errors.js';
import { IdentityRepository, type IdentityRow } from './identity.repository.js';

/**
 * Send As addresses: entered by hand (Graph cannot list Send As rights), verified by sending a
 * test message from the address to the mailbox itself.
 */
@Injectable()
export class SendAsService {
  private readonly logger = new Logger(SendAsService.name);

  constructor(
    private readonly identities: IdentityRepository,
    private readonly mailboxes: MailboxService,
    private readonly tokens: MailboxTokenService,
    private readonly graph: GraphClientFactory,
  ) {}

  async add(
    actor: Actor,
    mailboxId: string,
    input: { email: string; displayName?: string },
  ): Promise<IdentityRow> {
    const mailbox = await this.mailboxes.get(actor, mailboxId);
    if (mailbox.status !== 'active') throw new MailboxNotActiveError(mailbox.status);
    try {
      return await this.identities.createSendAs({
        mailboxId: mailbox.id,
        workspaceId: mailbox.workspaceId,
        email: input.email.trim().toLowerCase(),
        displayName: input.displayName,
      });
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002')
        throw new IdentityExistsError();
      throw error;
    }
  }

  async remove(actor: Actor, identityId: string): Promise<void> {
    const identity = await this.get(actor, identityId);
    if (identity.source !== 'manual') throw new IdentityNotRemovableError();
    await this.identities.delete(identity.id);
  }

  async get(actor: Actor, identityId: string): Promise<IdentityRow> {
    const identity = await this.identities.findInWorkspace(actor.workspaceId, identityId);
    if (!identity) throw new IdentityNotFoundError();
    return identity;
  }

  /** Sends a short test message from the address to the mailbox's own primary address. */
  async verify(actor: Actor, identityId: string): Promise<IdentityRow> {
    const identity = await this.get(actor, identityId);
    const mailbox = await this.mailboxes.get(actor, identity.mailboxId);
    if (mailbox.status !== 'active') throw new MailboxNotActiveError(mailbox.status);
    const token = await this.tokens.accessToken(mailbox.id);
    const client = this.graph.forToken(async () => token, { retries: 0 });
    const path =
      mailbox.connectionType === 'delegated'
        ? '/me/sendMail'
        : `/users/${mailbox.msUserId}/sendMail`;
    try {
      await client
        .api(path)
        .post({ message: testMessage(identity, mailbox.email), saveToSentItems: false });
    } catch (error) {
      const failure = graphFailureOf(error);
      this.logger.warn(
        { identityId, mailboxId: mailbox.id, status: failure.status, code: failure.code },
        'send as verification failed',
      );
      if (failure.code === 'ErrorSendAsDenied') {
        await this.identities.setStatus(identity.id, { status: 'send_as_denied' });
        throw new SendAsDeniedError();
      }
      throw new DomainError(
        'verification_failed',
        502,
        `Microsoft 365 did not send the test message (${failure.code}); try again.`,
      );
    }
    return this.identities.setStatus(identity.id, { status: 'active', verifiedAt: new Date() });
  }
}

function testMessage(identity: IdentityRow, to: string) {
  return {
    subject: 'ScendCore: sending address verified',
    body: {
      contentType: 'Text',
      content: `ScendCore can send email as ${identity.email}. No action is needed.`,
    },
    toRecipients: [{ emailAddress: { address: to } }],
    from: {
      emailAddress: {
        address: identity.email,
        ...(identity.displayName ? { name: identity.displayName } : {}),
      },
    },
  };
}
