import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';

/**
 * The CSRF token of a session: derived from the session's secret cookie token (HMAC), so it is
 * stored nowhere, cannot be guessed without the session, and does not reveal it.
 */
export function csrfTokenFor(sessionToken: string): string {
  return createHmac('sha256', sessionToken).update('scendcore-console-csrf').digest('base64url');
}

export function sameToken(given: unknown, expected: string): boolean {
  if (typeof given !== 'string' || given.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

/**
 * Whether a state-changing request comes from our own pages: its Origin (else Sec-Fetch-Site),
 * when the browser sends one, must be this service (PUBLIC_URL or the host it was asked on).
 * Requests without either header are not from a browser page; the token check still applies.
 */
export function fromOwnOrigin(req: Request, publicUrl: string): boolean {
  const origin = req.get('origin');
  if (origin) {
    const own = [new URL(publicUrl).origin, `${req.protocol}://${req.get('host') ?? ''}`];
    return own.includes(origin);
  }
  const site = req.get('sec-fetch-site');
  return site === undefined || site === 'same-origin' || site === 'none';
}
