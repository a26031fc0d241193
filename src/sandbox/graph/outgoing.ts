import type {
  ItemBody,
  MessageHeader,
  Recipient,
  SingleValueExtendedProperty,
} from '../mail-model.js';
import { errors, GraphError } from './errors.js';
import { parseExtendedProperties } from './extended-properties.js';

/** The writable part of a message, as sendMail, drafts and replies take it. */
export interface OutgoingMessage {
  subject: string;
  body: ItemBody;
  toRecipients: Recipient[];
  ccRecipients: Recipient[];
  bccRecipients: Recipient[];
  replyTo: Recipient[];
  from: Recipient | null;
  /** Custom `x-` headers. */
  internetMessageHeaders: MessageHeader[];
  /** MAPI properties set by the sender (`singleValueExtendedProperties`), ids canonical. */
  singleValueExtendedProperties: SingleValueExtendedProperty[];
}

const ADDRESS = /^[^\s@<>(),;:"[\]\\]+@[^\s@<>(),;:"[\]\\]+\.[^\s@<>(),;:"[\]\\]+$/;

/** Reads a Graph message object; fields not given are empty. Shapes are checked, not addresses. */
export function parseOutgoing(raw: unknown): OutgoingMessage {
  const m = asObject(raw);
  return {
    subject: typeof m.subject === 'string' ? m.subject : '',
    body: parseBody(m.body),
    toRecipients: recipients(m.toRecipients, 'toRecipients'),
    ccRecipients: recipients(m.ccRecipients, 'ccRecipients'),
    bccRecipients: recipients(m.bccRecipients, 'bccRecipients'),
    replyTo: recipients(m.replyTo, 'replyTo'),
    from: m.from === undefined || m.from === null ? null : recipient(m.from, 'from'),
    internetMessageHeaders: headers(m.internetMessageHeaders),
    singleValueExtendedProperties: parseExtendedProperties(m.singleValueExtendedProperties),
  };
}

/** Which fields a PATCH/`message` parameter set, so only those overwrite a draft. */
export function givenFields(raw: unknown): Partial<OutgoingMessage> {
  const m = asObject(raw);
  const parsed = parseOutgoing(m);
  return Object.fromEntries(
    Object.entries(parsed).filter(([k]) => m[k] !== undefined),
  ) as Partial<OutgoingMessage>;
}

/** What Exchange checks when a message is submitted: resolvable recipients within the limit. */
export function checkRecipients(message: OutgoingMessage, maxRecipients: number): void {
  const all = [...message.toRecipients, ...message.ccRecipients, ...message.bccRecipients];
  if (all.length === 0) {
    throw invalidRecipients(
      "At least one recipient is not valid., A message can't be sent because it contains no recipients.",
    );
  }
  const bad = all.find((r) => !ADDRESS.test(r.emailAddress.address));
  if (bad) {
    throw invalidRecipients(
      `At least one recipient is not valid., Recipient '${bad.emailAddress.address}' is not resolved. All recipients must be resolved before a message can be submitted.`,
    );
  }
  if (all.length > maxRecipients) {
    throw invalidRecipients(
      `At least one recipient is not valid., The message exceeds the maximum number of recipients (${maxRecipients}).`,
    );
  }
}

function invalidRecipients(message: string): GraphError {
  return new GraphError(400, 'ErrorInvalidRecipients', message);
}

function parseBody(raw: unknown): ItemBody {
  if (raw === undefined || raw === null) return { contentType: 'text', content: '' };
  const b = asObject(raw);
  const type = String(b.contentType ?? 'text').toLowerCase();
  if (type !== 'text' && type !== 'html')
    throw errors.badRequest(`Invalid value '${String(b.contentType)}' for 'contentType'.`);
  return { contentType: type, content: typeof b.content === 'string' ? b.content : '' };
}

function recipients(raw: unknown, property: string): Recipient[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw))
    throw errors.badRequest(`Property '${property}' must be a collection of recipients.`);
  return raw.map((r) => recipient(r, property));
}

function recipient(raw: unknown, property: string): Recipient {
  const address = asObject(asObject(raw).emailAddress);
  if (typeof address.address !== 'string') {
    throw invalidRecipients(
      `At least one recipient is not valid., A recipient in '${property}' has no email address.`,
    );
  }
  const name =
    typeof address.name === 'string' && address.name !== '' ? address.name : address.address;
  return { emailAddress: { name, address: address.address.trim() } };
}

function headers(raw: unknown): MessageHeader[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw))
    throw errors.badRequest("Property 'internetMessageHeaders' must be a collection.");
  return raw.map((h) => {
    const header = asObject(h);
    const name = String(header.name ?? '');
    if (!/^x-/i.test(name)) {
      throw new GraphError(
        400,
        'InvalidInternetMessageHeader',
        `The internet message header name '${name}' should start with 'x-' or 'X-'.`,
      );
    }
    return { name, value: String(header.value ?? '') };
  });
}

function asObject(raw: unknown): Record<string, unknown> {
  return raw !== null && typeof raw === 'object' && !Array.isArray(raw)
    ? (raw as Record<string, unknown>)
    : {};
}
