import { Injectable } from '@nestjs/common';
import { MailboxGraphService, type MailboxAddress } from '../mailbox/mailbox-graph.service.js';
import type { MailHeader } from './loop-guard.rules.js';

const IMMUTABLE = 'IdType="ImmutableId"';
const MESSAGE_FIELDS = [
  'id',
  'internetMessageId',
  'conversationId',
  'subject',
  'bodyPreview',
  'webLink',
  'from',
  'sender',
  'replyTo',
  'receivedDateTime',
  'internetMessageHeaders',
  'body',
  'categories',
  'flag',
  'isDraft',
  'parentFolderId',
].join(',');

interface GraphAddress {
  emailAddress?: { address?: string; name?: string };
}

/** A received message as the pipeline reads it. */
export interface GraphMessage {
  id: string;
  internetMessageId?: string;
  conversationId?: string;
  subject?: string;
  /** Graph's plain-text preview of the body (up to 255 characters). */
  bodyPreview?: string;
  /** The message in Outlook on the web. */
  webLink?: string;
  from?: GraphAddress | null;
  sender?: GraphAddress | null;
  receivedDateTime?: string;
  internetMessageHeaders?: MailHeader[];
  body?: { contentType?: string; content?: string };
  categories?: string[];
  flag?: { flagStatus?: string };
  isDraft?: boolean;
}

export interface DeltaItem {
  id: string;
  receivedDateTime?: string;
  removed: boolean;
}

export interface DeltaPage {
  items: DeltaItem[];
  nextLink?: string;
  deltaLink?: string;
}

export interface NewSubscription {
  notificationUrl: string;
  lifecycleNotificationUrl: string;
  clientState: string;
  expiresAt: Date;
}

/** The Graph calls of inbound: subscriptions, inbox delta, reading and routing a message. */
@Injectable()
export class InboundGraphClient {
  constructor(private readonly graph: MailboxGraphService) {}

  async createSubscription(mailbox: MailboxAddress, sub: NewSubscription) {
    const { client, path } = await this.graph.forMailbox(mailbox, { retries: 0 });
    return (await client.api('/subscriptions').post({
      changeType: 'created',
      resource: `${path.replace(/^\//, '')}/mailFolders('inbox')/messages`,
      notificationUrl: sub.notificationUrl,
      lifecycleNotificationUrl: sub.lifecycleNotificationUrl,
      clientState: sub.clientState,
      expirationDateTime: sub.expiresAt.toISOString(),
    })) as { id: string; expirationDateTime: string };
  }

  async renewSubscription(mailbox: MailboxAddress, id: string, expiresAt: Date) {
    const { client } = await this.graph.forMailbox(mailbox, { retries: 0 });
    return (await client
      .api(`/subscriptions/${encodeURIComponent(id)}`)
      .patch({ expirationDateTime: expiresAt.toISOString() })) as { expirationDateTime: string };
  }

  async deleteSubscription(mailbox: MailboxAddress, id: string): Promise<void> {
    const { client } = await this.graph.forMailbox(mailbox, { retries: 0 });
    await client.api(`/subscriptions/${encodeURIComponent(id)}`).delete();
  }

  /** One page of the inbox delta: from `link` (next or delta link), or a new initial round. */
  async deltaPage(mailbox: MailboxAddress, link: string | null): Promise<DeltaPage> {
    const { client, path } = await this.graph.forMailbox(mailbox);
    const request = link
      ? client.api(link)
      : client.api(`${path}/mailFolders('inbox')/messages/delta`).select('id,receivedDateTime');
    const page = (await request.header('Prefer', `${IMMUTABLE}, odata.maxpagesize=50`).get()) as {
      value?: Array<{ id: string; receivedDateTime?: string; '@removed'?: unknown }>;
      '@odata.nextLink'?: string;
      '@odata.deltaLink'?: string;
    };
    return {
      items: (page.value ?? []).map((m) => ({
        id: m.id,
        receivedDateTime: m.receivedDateTime,
        removed: m['@removed'] !== undefined,
      })),
      nextLink: page['@odata.nextLink'],
      deltaLink: page['@odata.deltaLink'],
    };
  }

  async getMessage(mailbox: MailboxAddress, id: string): Promise<GraphMessage> {
    const { client, path } = await this.graph.forMailbox(mailbox);
    return (await client
      .api(`${path}/messages/${encodeURIComponent(id)}`)
      .header('Prefer', `${IMMUTABLE}, outlook.body-content-type="text"`)
      .select(MESSAGE_FIELDS)
      .get()) as GraphMessage;
  }

  /** Sets the message's categories (and flag): idempotent, so retried freely. */
  async route(
    mailbox: MailboxAddress,
    id: string,
    change: { categories: string[]; flag: boolean },
  ): Promise<void> {
    const { client, path } = await this.graph.forMailbox(mailbox);
    await client.api(`${path}/messages/${encodeURIComponent(id)}`).patch({
      categories: change.categories,
      ...(change.flag ? { flag: { flagStatus: 'flagged' } } : {}),
    });
  }
}
