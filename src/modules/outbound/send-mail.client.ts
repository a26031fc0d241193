import { Injectable } from '@nestjs/common';
import type { SendableIdentity } from '../identity/identity-query.service.js';
import {
  MailboxGraphService,
  type PrefetchedCredential,
} from '../mailbox/mailbox-graph.service.js';
import type { MessageRow } from './outbound.repository.js';
import type { Recipient } from './outbound.rules.js';

/** Named MAPI property carrying our marker, to find a message in Sent Items after a crash. */
export const MARKER_PROPERTY =
  'String {a0b24ad2-6f64-4c1d-9b9f-3c1bd0c3e8a4} Name ScendcoreSendMarker';

/** Graph sendMail for one outbound message (never retried in place: sendMail is not idempotent). */
@Injectable()
export class SendMailClient {
  constructor(private readonly graph: MailboxGraphService) {}

  async send(
    identity: SendableIdentity,
    message: MessageRow,
    profile?: { fromName: string; replyTo: string | null },
    credential?: PrefetchedCredential,
  ): Promise<void> {
    const mailbox = { ...identity, id: identity.mailboxId };
    const body = { message: graphMessage(identity, message, profile), saveToSentItems: true };
    await this.graph.call(
      mailbox,
      ({ client, path }) => client.api(`${path}/sendMail`).post(body),
      { retries: 0, credential },
    );
  }
}

function graphMessage(
  identity: SendableIdentity,
  message: MessageRow,
  profile?: { fromName: string; replyTo: string | null },
) {
  const address = (r: Recipient) => ({
    emailAddress: r.name ? { address: r.email, name: r.name } : { address: r.email },
  });
  const list = (value: unknown) => (value as Recipient[]).map(address);
  return {
    subject: message.subject,
    body: message.htmlBody
      ? { contentType: 'HTML', content: message.htmlBody }
      : { contentType: 'Text', content: message.textBody ?? '' },
    toRecipients: list(message.toRecipients),
    ccRecipients: list(message.ccRecipients),
    bccRecipients: list(message.bccRecipients),
    from: {
      emailAddress: {
        address: identity.email,
        name: profile?.fromName ?? identity.displayName ?? undefined,
      },
    },
    ...(profile?.replyTo ? { replyTo: [{ emailAddress: { address: profile.replyTo } }] } : {}),
    singleValueExtendedProperties: [{ id: MARKER_PROPERTY, value: message.marker }],
  };
}
