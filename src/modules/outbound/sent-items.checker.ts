import { Injectable } from '@nestjs/common';
import { MailboxGraphService } from '../mailbox/mailbox-graph.service.js';
import { MailboxService } from '../mailbox/mailbox.service.js';
import { MARKER_PROPERTY } from './send-mail.client.js';

export interface SentCopy {
  internetMessageId?: string;
  conversationId?: string;
}

/** The mailbox is disconnected (or gone): its Sent Items cannot be read. */
export class SentItemsMailboxGoneError extends Error {
  readonly code = 'mailbox_disconnected';

  constructor() {
    super('mailbox is gone');
  }
}

/**
 * Looks for our marker in a mailbox's Sent Items: did an interrupted send go out, and what
 * internetMessageId and conversationId did Exchange give the sent copy?
 */
@Injectable()
export class SentItemsChecker {
  constructor(
    private readonly mailboxes: MailboxService,
    private readonly graph: MailboxGraphService,
  ) {}

  /** The sent copy, or undefined when it is not there. Throws when the mailbox cannot be read. */
  async find(
    mailboxId: string,
    marker: string,
    options: { retries?: number } = {},
  ): Promise<SentCopy | undefined> {
    const mailbox = await this.mailboxes.findActive(mailboxId);
    if (!mailbox) throw new SentItemsMailboxGoneError();
    const filter = `singleValueExtendedProperties/Any(ep: ep/id eq '${MARKER_PROPERTY}' and ep/value eq '${marker}')`;
    const page = (await this.graph.call(
      mailbox,
      ({ client, path }) =>
        client
          .api(`${path}/mailFolders/sentitems/messages`)
          .filter(filter)
          .select('id,internetMessageId,conversationId')
          .top(1)
          .get(),
      options,
    )) as { value?: SentCopy[] };
    const [copy] = page.value ?? [];
    return copy
      ? { internetMessageId: copy.internetMessageId, conversationId: copy.conversationId }
      : undefined;
  }
}
