import { randomUUID } from 'node:crypto';
import { request } from 'undici';
import { errors, GraphError } from './errors.js';
import type { NotificationSettings } from './settings.js';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** Checks a notification URL's form: absolute https (or http on loopback when allowed). */
export function checkNotificationUrl(
  raw: string,
  settings: NotificationSettings,
  property: string,
): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw errors.badRequest(`Invalid '${property}': '${raw}' is not an absolute URL.`);
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && settings.allowHttpLoopback && LOOPBACK.has(url.hostname))
    return url;
  throw errors.badRequest(`Invalid '${property}': the notification URL must use the https scheme.`);
}

/**
 * The validation handshake: POST `url?validationToken=…` (text/plain, empty body); the
 * receiver must answer 200 with exactly the decoded token within the timeout.
 */
export async function validateNotificationUrl(url: URL, timeoutMs: number): Promise<void> {
  const token = `Validation: Testing client application reachability for subscription Request-Id: ${randomUUID()}`;
  const target = new URL(url);
  target.searchParams.set('validationToken', token);
  let status: number;
  let text: string;
  try {
    const res = await request(target, {
      method: 'POST',
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      body: '',
      signal: AbortSignal.timeout(timeoutMs),
    });
    status = res.statusCode;
    text = await res.body.text();
  } catch (err) {
    throw handshakeFailure(err);
  }
  if (status !== 200) {
    throw errors.invalidRequest(
      'Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.',
    );
  }
  if (text !== token) {
    throw errors.invalidRequest(
      'Subscription validation request failed. Response must exactly match validationToken query parameter.',
    );
  }
}

function handshakeFailure(err: unknown): GraphError {
  const name = (err as { name?: unknown } | null)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') {
    return errors.invalidRequest('Subscription validation request timed out.');
  }
  return errors.invalidRequest(
    'Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.',
  );
}
