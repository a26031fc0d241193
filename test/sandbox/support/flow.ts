import { createHash, randomBytes } from 'node:crypto';
import { SANDBOX_APP } from '../../../src/sandbox/seed.js';
import type { EmulatorHttp, HttpResult } from './https.js';
import { parseForm } from './pages.js';

export const REDIRECT_URI = 'http://localhost:3999/auth/callback';

export interface AuthorizeOptions {
  tenant?: string;
  clientId?: string;
  redirectUri?: string;
  scope?: string;
  state?: string;
  nonce?: string;
  extra?: Record<string, string>;
}

export function authorizePath(o: AuthorizeOptions = {}): string {
  const q = new URLSearchParams({
    client_id: o.clientId ?? SANDBOX_APP.clientId,
    response_type: 'code',
    redirect_uri: o.redirectUri ?? REDIRECT_URI,
    response_mode: 'query',
    scope: o.scope ?? 'openid profile email offline_access User.Read Mail.Send',
    state: o.state ?? 'state-123',
    nonce: o.nonce ?? 'nonce-456',
    ...o.extra,
  });
  return `/${o.tenant ?? 'organizations'}/oauth2/v2.0/authorize?${q}`;
}

/** Picks an account on the sign-in page; returns the next response (consent page or redirect). */
export async function pickAccount(
  http: EmulatorHttp,
  signInPage: HttpResult,
  userId: string,
): Promise<HttpResult> {
  const form = parseForm(signInPage.text, 'pick-account');
  return http.postForm(form.action, { ...form.fields, user_id: userId });
}

export async function decide(
  http: EmulatorHttp,
  consentPage: HttpResult,
  decision: 'accept' | 'cancel',
  extra: Record<string, string> = {},
): Promise<HttpResult> {
  const form = parseForm(consentPage.text, 'consent-form');
  return http.postForm(form.action, { ...form.fields, decision, ...extra });
}

/** authorize → pick account → (consent Accept if shown) → the redirect's query parameters. */
export async function signInForCode(
  http: EmulatorHttp,
  userId: string,
  o: AuthorizeOptions = {},
): Promise<URLSearchParams> {
  const page = await http.get(authorizePath(o));
  let next = await pickAccount(http, page, userId);
  if (next.status === 200 && next.text.includes('id="consent-form"'))
    next = await decide(http, next, 'accept');
  return redirectParams(next);
}

export function redirectParams(res: HttpResult): URLSearchParams {
  if (res.status !== 302)
    throw new Error(`Expected a redirect, got ${res.status}: ${res.text.slice(0, 400)}`);
  return new URL(res.headers.location).searchParams;
}

export async function redeemCode(
  http: EmulatorHttp,
  code: string,
  extra: Record<string, string> = {},
  tenant = 'organizations',
): Promise<HttpResult> {
  return http.postForm(`/${tenant}/oauth2/v2.0/token`, {
    grant_type: 'authorization_code',
    client_id: SANDBOX_APP.clientId,
    client_secret: SANDBOX_APP.clientSecret,
    code,
    redirect_uri: REDIRECT_URI,
    ...extra,
  });
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}
