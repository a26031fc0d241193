import { randomBytes } from 'node:crypto';
import type { MessageHeader, Recipient } from '../mail-model.js';

export interface HeaderInput {
  from: Recipient;
  sender: Recipient;
  to: Recipient[];
  cc: Recipient[];
  replyTo: Recipient[];
  subject: string;
  internetMessageId: string;
  conversationId: string;
  date: Date;
  contentType: 'text' | 'html';
  inReplyTo?: string;
  references?: string[];
  /** Custom `x-` headers and others given verbatim; they replace standard ones of the same name. */
  extra: MessageHeader[];
}

const SERVERS = ['DM6PR11MB4011', 'SA1PR12MB8472', 'BN6PR2201MB1555', 'PH0PR11MB5095'];

/** An Exchange Online-style Message-ID: `<SERVERHEX@SERVER.namprdNN.prod.outlook.com>`. */
export function newInternetMessageId(): string {
  const server = SERVERS[randomBytes(1)[0] % SERVERS.length];
  const region = server.slice(4, 6) === '11' ? 'namprd11' : 'namprd12';
  return `<${server}${randomBytes(8).toString('hex').toUpperCase()}@${server}.${region}.prod.outlook.com>`;
}

export function newConversationId(): string {
  return `AAQkA${randomBytes(33).toString('base64url')}=`;
}

/** The headers a recipient sees, in transport order; `received` adds Exchange's Received line. */
export function transportHeaders(input: HeaderInput, received: boolean): MessageHeader[] {
  const standard: MessageHeader[] = [
    ...(received ? [{ name: 'Received', value: receivedLine(input.date) }] : []),
    { name: 'From', value: mailbox(input.from) },
    ...(sameAddress(input.from, input.sender)
      ? []
      : [{ name: 'Sender', value: mailbox(input.sender) }]),
    ...(input.to.length ? [{ name: 'To', value: input.to.map(mailbox).join(', ') }] : []),
    ...(input.cc.length ? [{ name: 'CC', value: input.cc.map(mailbox).join(', ') }] : []),
    ...(input.replyTo.length
      ? [{ name: 'Reply-To', value: input.replyTo.map(mailbox).join(', ') }]
      : []),
    { name: 'Subject', value: input.subject },
    { name: 'Thread-Topic', value: threadTopic(input.subject) },
    { name: 'Thread-Index', value: threadIndex(input.conversationId) },
    { name: 'Date', value: rfc5322Date(input.date) },
    { name: 'Message-ID', value: input.internetMessageId },
    ...(input.inReplyTo ? [{ name: 'In-Reply-To', value: input.inReplyTo }] : []),
    ...(input.references?.length
      ? [{ name: 'References', value: input.references.join(' ') }]
      : []),
    { name: 'Content-Language', value: 'en-US' },
    { name: 'X-MS-Has-Attach', value: '' },
    {
      name: 'Content-Type',
      value:
        input.contentType === 'html' ? 'text/html; charset="utf-8"' : 'text/plain; charset="utf-8"',
    },
    { name: 'MIME-Version', value: '1.0' },
  ];
  const overridden = new Set(input.extra.map((h) => h.name.toLowerCase()));
  return [
    ...standard.filter((h) => !overridden.has(h.name.toLowerCase())),
    ...input.extra.map((h) => ({ ...h })),
  ];
}

/** The value of a header (first one, case-insensitive name). */
export function headerValue(headers: MessageHeader[], name: string): string | undefined {
  return headers.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value;
}

export function rfc5322Date(date: Date): string {
  return date.toUTCString().replace('GMT', '+0000');
}

function mailbox(r: Recipient): string {
  const { name, address } = r.emailAddress;
  return name && name !== address ? `"${name.replace(/"/g, '\\"')}" <${address}>` : address;
}

function sameAddress(a: Recipient, b: Recipient): boolean {
  return a.emailAddress.address.toLowerCase() === b.emailAddress.address.toLowerCase();
}

function threadTopic(subject: string): string {
  return subject.replace(/^\s*((re|fw|fwd|aw|wg)\s*:\s*)+/i, '');
}

function threadIndex(conversationId: string): string {
  return Buffer.from(conversationId).subarray(0, 22).toString('base64');
}

function receivedLine(date: Date): string {
  return `from sandbox.prod.outlook.com (2603:10b6:a03:1c0::14) by sandbox.prod.outlook.com with HTTPS; ${rfc5322Date(date)}`;
}
