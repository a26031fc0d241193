import { Readable } from 'node:stream';
import type { ReadableStream } from 'node:stream/web';
import { type Dispatcher, Headers } from 'undici';

/** A request as the Graph SDK's middleware hands it to the last hop (a fetch RequestInit). */
export interface GraphHttpInit {
  method?: string;
  headers?: Headers | Record<string, string> | [string, string][];
  body?: string | Uint8Array | null;
  signal?: AbortSignal | null;
}

/**
 * What the Graph SDK reads of a fetch Response (status, ok, headers, the body as JSON, text or
 * bytes), over an undici `request` answer: fetch's Request/Response objects and web streams cost
 * a large share of a sweep's CPU per call. The body is read only when the SDK asks for it, and
 * its failures surface there as fetch's do (a TypeError), so the SDK's error handling, and the
 * error codes recorded from it, stay as they were with fetch.
 */
export class GraphHttpResponse {
  readonly status: number;
  readonly statusText: string;
  readonly ok: boolean;
  readonly headers: Headers;

  constructor(private readonly answer: Dispatcher.ResponseData) {
    this.status = answer.statusCode;
    this.statusText = answer.statusText;
    this.ok = answer.statusCode >= 200 && answer.statusCode < 300;
    this.headers = headersOf(answer.headers);
  }

  /** The body as a web stream, as fetch gives it (the SDK hands it out for types it does not parse). */
  get body(): ReadableStream {
    return Readable.toWeb(this.answer.body);
  }

  json(): Promise<unknown> {
    return read(this.answer.body.json());
  }

  text(): Promise<string> {
    return read(this.answer.body.text());
  }

  arrayBuffer(): Promise<ArrayBuffer> {
    return read(this.answer.body.arrayBuffer());
  }

  blob(): Promise<Blob> {
    return read(this.answer.body.blob());
  }
}

/** The request's headers as undici `request` takes them. */
export function requestHeaders(headers: GraphHttpInit['headers']): Record<string, string> {
  if (!headers) return {};
  // A Headers object (undici's or the global one) or [name, value] pairs; else a plain record.
  if (Array.isArray(headers) || typeof headers.entries === 'function') {
    return Object.fromEntries(headers as Iterable<[string, string]>);
  }
  return headers as Record<string, string>;
}

function headersOf(raw: Dispatcher.ResponseData['headers']): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (Array.isArray(value)) for (const one of value) headers.append(name, one);
    else if (value !== undefined) headers.append(name, value);
  }
  return headers;
}

/** A body that is not JSON rejects as fetch's does (SyntaxError); a broken stream as a TypeError. */
async function read<T>(body: Promise<T>): Promise<T> {
  try {
    return await body;
  } catch (error) {
    if (error instanceof SyntaxError) throw error;
    throw new TypeError('terminated', { cause: error });
  }
}
