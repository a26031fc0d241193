import type { MessageHeader } from '../mail-model.js';

export interface ParsedAddress {
  address: string;
  name?: string;
}

/** What the emulator needs of a raw Internet message (RFC 5322 with MIME, RFC 2045–2047). */
export interface ParsedMail {
  /** Every header in order, unfolded, values as sent (encoded words kept, like Graph). */
  headers: MessageHeader[];
  from?: ParsedAddress;
  to: ParsedAddress[];
  cc: ParsedAddress[];
  replyTo: ParsedAddress[];
  subject: string;
  messageId?: string;
  inReplyTo?: string;
  references: string[];
  body: { contentType: 'text' | 'html'; content: string };
}

interface Part {
  headers: MessageHeader[];
  body: string;
}

/** Parses a raw message: headers, addresses, and the first text/plain (else text/html) part. */
export function parseRfc5322(raw: string): ParsedMail {
  const top = splitPart(raw);
  const get = (name: string) => headerOf(top.headers, name);
  const ids = (name: string) => get(name)?.match(/<[^<>\s]+>/g) ?? [];
  return {
    headers: top.headers,
    from: addressList(get('From'))[0],
    to: addressList(get('To')),
    cc: addressList(get('Cc')),
    replyTo: addressList(get('Reply-To')),
    subject: decodeWords(get('Subject') ?? ''),
    messageId: ids('Message-ID')[0],
    inReplyTo: ids('In-Reply-To')[0],
    references: ids('References'),
    body: textBody(top) ?? { contentType: 'text', content: '' },
  };
}

export function headerOf(headers: MessageHeader[], name: string): string | undefined {
  return headers.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value;
}

function splitPart(raw: string): Part {
  const text = raw.replace(/\r\n/g, '\n');
  const end = text.search(/\n\n/);
  const head = end < 0 ? text : text.slice(0, end);
  const body = end < 0 ? '' : text.slice(end + 2);
  const headers: MessageHeader[] = [];
  for (const line of head.split('\n')) {
    if (/^[ \t]/.test(line) && headers.length > 0) {
      headers[headers.length - 1].value += ` ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon > 0)
      headers.push({ name: line.slice(0, colon).trim(), value: line.slice(colon + 1).trim() });
  }
  return { headers, body };
}

/** Media type (lower case) and parameters of a Content-Type value. */
function contentType(value: string | undefined): { type: string; params: Record<string, string> } {
  const [type, ...rest] = (value ?? 'text/plain').split(';');
  const params: Record<string, string> = {};
  for (const param of rest) {
    const eq = param.indexOf('=');
    if (eq > 0)
      params[param.slice(0, eq).trim().toLowerCase()] = param
        .slice(eq + 1)
        .trim()
        .replace(/^"|"$/g, '');
  }
  return { type: type.trim().toLowerCase(), params };
}

function textBody(part: Part): ParsedMail['body'] | undefined {
  const { type, params } = contentType(headerOf(part.headers, 'Content-Type'));
  if (type.startsWith('multipart/') && params.boundary) {
    const parts = splitMultipart(part.body, params.boundary).map(splitPart);
    const found = parts.map(textBody).filter((b) => b !== undefined);
    return found.find((b) => b.contentType === 'text') ?? found[0];
  }
  if (type !== 'text/plain' && type !== 'text/html') return undefined;
  const content = decodeTransfer(part.body, headerOf(part.headers, 'Content-Transfer-Encoding'));
  return { contentType: type === 'text/html' ? 'html' : 'text', content: content.trim() };
}

function splitMultipart(body: string, boundary: string): string[] {
  const delimiter = `--${boundary}`;
  const sections = body.split('\n').reduce<string[][]>((acc, line) => {
    if (line.trim() === delimiter) acc.push([]);
    else if (line.trim() === `${delimiter}--`) acc.push(['\u0000end']);
    else if (acc.length > 0) acc[acc.length - 1].push(line);
    return acc;
  }, []);
  return sections.filter((s) => s[0] !== '\u0000end').map((s) => s.join('\n'));
}

function decodeTransfer(body: string, encoding: string | undefined): string {
  const kind = (encoding ?? '').trim().toLowerCase();
  if (kind === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (kind !== 'quoted-printable') return body;
  const bytes = body
    .replace(/=\n/g, '')
    .replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

/** RFC 2047 encoded words (`=?utf-8?B?…?=`, `=?utf-8?Q?…?=`) in a header value. */
export function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(
      /=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g,
      (_, _charset: string, kind: string, text: string) =>
        kind.toUpperCase() === 'B'
          ? Buffer.from(text, 'base64').toString('utf8')
          : Buffer.from(
              text
                .replace(/_/g, ' ')
                .replace(/=([0-9A-Fa-f]{2})/g, (__, hex: string) =>
                  String.fromCharCode(parseInt(hex, 16)),
                ),
              'latin1',
            ).toString('utf8'),
    );
}

/** `"Name" <a@b>, c@d, Name <e@f>` → addresses (display names decoded); `<>` gives none. */
export function addressList(value: string | undefined): ParsedAddress[] {
  if (!value) return [];
  const entries = value.match(/("[^"]*"|[^,])+/g) ?? [];
  return entries.flatMap((entry) => {
    const angle = /^(.*)<([^<>]*)>\s*$/.exec(entry.trim());
    const address = (angle ? angle[2] : entry).trim();
    if (!address.includes('@')) return [];
    const name = angle ? decodeWords(angle[1].trim().replace(/^"|"$/g, '')) : '';
    return [name ? { address, name } : { address }];
  });
}
