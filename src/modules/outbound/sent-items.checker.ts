import { Injectable } from '@nestjs/common';
import { MailboxGraphService } from '../mailbox/mailbox-graph.service.js';
import { MailboxService } from '../mailbox/mailbox.service.js';
import { MARKER_PROPERTY } from './send-mail.client.js';

export interface SentCopy {
  internetMessageId?: string;
  conversationId?: string;
}

/** Looks for our marker in a mailbox's Sent Items: did an interrupted send go out? */
@Injectable()
export class SentItemsChecker {
  constructor(
    private readonly mailboxes: MailboxService,
    private readonly graph: MailboxGraphService,
  ) {}

  /** The sent copy, or undefined when it is not there. Throws when the mailbox cannot be read. */
  async find(mailboxId: string, marker: string): Promise<SentCopy | undefined> {
    const mailbox = await this.mailboxes.findActive(mailboxId);
    if (!mailbox) throw new Error('mailbox is gone');
    const filter = `singleValueExtendedProperties/Any(ep: ep/id eq '${MARKER_PROPERTY}' and ep/value eq '${marker}')`;
    const page = (await this.graph.call(mailbox, ({ client, path }) =>
      client
        .api(`${path}/mailFolders/sentitems/messages`)
        .filter(filter)
        .select('id,internetMessageId,conversationId')
        .top(1)
        .get(),
    )) as { value?: SentCopy[] };
    const [copy] = page.value ?? [];
    return copy
      ? { internetMessageId: copy.internetMessageId, conversationId: copy.conversationId }
      : undefined;
  }
}
