import { createHash } from 'node:crypto';
import type { MailMessage } from '../mail-model.js';
import { GraphError } from './errors.js';
import { parseSelect } from './odata.js';

export const MESSAGE_PROPERTIES = [
  'id',
  'createdDateTime',
  'lastModifiedDateTime',
  'changeKey',
  'categories',
  'receivedDateTime',
  'sentDateTime',
  'hasAttachments',
  'internetMessageId',
  'subject',
  'bodyPreview',
  'importance',
  'parentFolderId',
  'conversationId',
  'conversationIndex',
  'isDeliveryReceiptRequested',
  'isReadReceiptRequested',
  'isRead',
  'isDraft',
  'webLink',
  'inferenceClassification',
  'body',
  'uniqueBody',
  'sender',
  'from',
  'toRecipients',
  'ccRecipients',
  'bccRecipients',
  'replyTo',
  'flag',
  'internetMessageHeaders',
] as const;

/** Returned only when selected, as Graph does. */
const SELECT_ONLY = new Set(['internetMessageHeaders', 'uniqueBody']);

const DEFAULT_PROPERTIES = MESSAGE_PROPERTIES.filter((p) => !SELECT_ONLY.has(p));

export function parseMessageSelect(raw: string | undefined): string[] | null {
  return parseSelect(
    raw,
    MESSAGE_PROPERTIES,
    (name) =>
      new GraphError(
        400,
        'RequestBroker--ParseUri',
        `Could not find a property named '${name}' on type 'microsoft.graph.message'.`,
      ),
  );
}

/** Every property of a message as Graph v1.0 names them. */
export function messageValues(message: MailMessage): Record<string, unknown> {
  return {
    id: message.id,
    createdDateTime: message.createdDateTime,
    lastModifiedDateTime: message.lastModifiedDateTime,
    changeKey: message.changeKey,
    categories: [...(message.categories ?? [])],
    receivedDateTime: message.receivedDateTime,
    sentDateTime: message.isDraft ? null : message.sentDateTime,
    hasAttachments: false,
    internetMessageId: message.internetMessageId,
    subject: message.subject,
    bodyPreview: message.bodyPreview,
    importance: 'normal',
    parentFolderId: message.parentFolderId,
    conversationId: message.conversationId,
    conversationIndex: conversationIndex(message.conversationId),
    isDeliveryReceiptRequested: false,
    isReadReceiptRequested: false,
    isRead: message.isRead,
    isDraft: message.isDraft,
    webLink: `https://outlook.office365.com/owa/?ItemID=${encodeURIComponent(message.id)}&exvsurl=1&viewmodel=ReadMessageItem`,
    inferenceClassification: 'focused',
    body: { ...message.body },
    uniqueBody: { ...message.body },
    sender: message.sender,
    from: message.from,
    toRecipients: message.toRecipients,
    ccRecipients: message.ccRecipients,
    bccRecipients: message.bccRecipients,
    replyTo: message.replyTo,
    flag: { ...(message.flag ?? { flagStatus: 'notFlagged' }) },
    internetMessageHeaders: message.internetMessageHeaders.map((h) => ({ ...h })),
  };
}

/** The message as Graph returns it: `@odata.etag`, `id`, then the default or selected properties. */
export function toGraphMessage(
  message: MailMessage,
  select: string[] | null,
): Record<string, unknown> {
  const values = messageValues(message);
  const names = select ?? DEFAULT_PROPERTIES;
  const out: Record<string, unknown> = { '@odata.etag': etag(message), id: message.id };
  for (const name of names) out[name] = values[name];
  return out;
}

export function etag(message: MailMessage): string {
  return `W/"${message.changeKey}"`;
}

function conversationIndex(conversationId: string): string {
  return Buffer.concat([
    Buffer.from([1]),
    createHash('md5').update(conversationId).digest(),
  ]).toString('base64');
}
