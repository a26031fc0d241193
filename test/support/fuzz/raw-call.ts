import { request } from 'undici';
import type { Reply, SandboxApp } from '../sandbox-app.js';

export interface RawOptions {
  token?: string;
  /** The body exactly as sent (see toRawJson); with no content-type header unless given. */
  raw?: string | Buffer;
  contentType?: string;
  headers?: Record<string, string>;
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * JSON text for a value, lone surrogates as `\ud800` escapes: JSON.stringify writes them so
 * (well-formed stringify), while the raw character would be sent as U+FFFD in UTF-8.
 */
export function toRawJson(value: unknown): string {
  const text = JSON.stringify(value);
  if (LONE_SURROGATE.test(text)) throw new Error('JSON text with an unescaped lone surrogate');
  return text;
}

/** One HTTP call with the body given as raw text (no redirects followed). */
export async function rawCall(
  t: Pick<SandboxApp, 'baseUrl'>,
  method: string,
  path: string,
  options: RawOptions = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.raw !== undefined)
    headers['content-type'] = options.contentType ?? 'application/json';
  const res = await request(`${t.baseUrl}${path}`, {
    method: method as 'GET',
    headers,
    body: options.raw,
  });
  const body = await res.body.text();
  return {
    status: res.statusCode,
    headers: res.headers,
    body,
    json: <T>() => JSON.parse(body) as T,
  };
}
