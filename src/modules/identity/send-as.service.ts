import { Injectable, Logger } from '@nestjs/common';
import type { Actor } from '../../common/auth/actor.js';
import { graphFailureOf } from '../../common/microsoft/graph-error.js';
import { MailboxGraphService } from '../mailbox/mailbox-graph.service.js';
import { MailboxService } from '../mailbox/mailbox.service.js';
import {
  IdentityExistsError,
  IdentityNotFoundError,
  IdentityNotRemovableError,
  MailboxNotActiveError,
  SendAsDeniedError,
  VerificationFailedError,
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
    private readonly graph: MailboxGraphService,
  ) {}

  async add(
    actor: Actor,
    mailboxId: string,
    input: { email: string; displayName?: string },
  ): Promise<IdentityRow> {
    const mailbox = await this.mailboxes.get(actor, mailboxId);
    if (mailbox.status !== 'active') throw new MailboxNotActiveError(mailbox.status);
    const created = await this.identities.createSendAs({
      mailboxId: mailbox.id,
      workspaceId: mailbox.workspaceId,
      email: input.email.trim().toLowerCase(),
      displayName: input.displayName,
    });
    if (!created) throw new IdentityExistsError();
    return created;
  }

  /** Microsoft refused Send As for the identity (idempotent; a removed identity is ignored). */
  async markDenied(identityId: string, mailboxId: string): Promise<void> {
    await this.identities.markSendAsDenied(identityId);
    this.logger.warn({ identityId, mailboxId }, 'identity marked send_as_denied');
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
    const { client, path } = await this.graph.forMailbox(mailbox, { retries: 0 });
    try {
      await client
        .api(`${path}/sendMail`)
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
      throw new VerificationFailedError(failure.code);
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
