import { Injectable } from '@nestjs/common';
import { GraphClientFactory } from '../../common/microsoft/graph-client.factory.js';
import { MailboxService } from '../mailbox/mailbox.service.js';
import { MailboxTokenService } from '../mailbox/mailbox-token.service.js';
import { MARKER_PROPERTY, mailboxPath } from './send-mail.client.js';

export interface SentCopy {
  internetMessageId?: string;
  conversationId?: string;
}

/** Looks for our marker in a mailbox's Sent Items: did an interrupted send go out? */
@Injectable()
export class SentItemsChecker {
  constructor(
    private readonly mailboxes: MailboxService,
    private readonly tokens: MailboxTokenService,
    private readonly graph: GraphClientFactory,
  ) {}

  /** The sent copy, or undefined when it is not there. Throws when the mailbox cannot be read. */
  async find(mailboxId: string, marker: string): Promise<SentCopy | undefined> {
    const mailbox = await this.mailboxes.findActive(mailboxId);
    if (!mailbox) throw new Error('mailbox is gone');
    const token = await this.tokens.accessToken(mailboxId);
    const client = this.graph.forToken(async () => token);
    const filter = `singleValueExtendedProperties/Any(ep: ep/id eq '${MARKER_PROPERTY}' and ep/value eq '${marker}')`;
    const page = (await client
      .api(`${mailboxPath(mailbox)}/mailFolders/sentitems/messages`)
      .filter(filter)
      .select('id,internetMessageId,conversationId')
      .top(1)
      .get()) as { value?: SentCopy[] };
    const [copy] = page.value ?? [];
    return copy
      ? { internetMessageId: copy.internetMessageId, conversationId: copy.conversationId }
      : undefined;
  }
}
