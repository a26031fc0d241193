import { CONTOSO_ADMIN } from '../../src/sandbox/seed.js';
import { decide, pickAccount } from '../sandbox/support/flow.js';
import type { HttpResult } from '../sandbox/support/https.js';
import { call, type SandboxApp } from '../support/sandbox-app.js';

export interface AdminConsentRun {
  /** The link handed to the IT admin. */
  link: string;
  /** Our page the link opens. */
  page: { status: number; html: string };
  /** Microsoft's admin consent page (after the admin picked an account), or its refusal redirect. */
  consentPage?: HttpResult;
  /** Microsoft's redirect to our callback. */
  callbackUrl?: string;
  /** Where our callback sent the browser. */
  landed?: URL;
}

/** The Continue button's href on our link page (HTML entities undone). */
export function continueUrlOf(html: string): string {
  const href = /<a class="button" href="([^"]*)"/.exec(html)?.[1];
  if (!href) throw new Error(`no Continue button in ${html.slice(0, 300)}`);
  return href.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
}

/** POST admin-consent as a workspace user; the link to hand over. */
export async function adminConsentLink(
  t: SandboxApp,
  token: string,
  body: Record<string, unknown> = {},
): Promise<string> {
  const res = await call(t, 'POST', '/v1/microsoft/admin-consent', { token, body });
  if (res.status !== 200) throw new Error(`admin-consent: ${res.status} ${res.body}`);
  return res.json<{ authorizationUrl: string }>().authorizationUrl;
}

/**
 * The hand-off over HTTP: POST admin-consent → our page → Continue → Microsoft's sign-in (the
 * admin picks an account) → admin consent Accept or Cancel (a non-admin is sent back at once)
 * → our callback (which redeems the code) → the frontend.
 */
export async function adminConsentJourney(
  t: SandboxApp,
  token: string,
  options: {
    admin?: string;
    decision?: 'accept' | 'cancel';
    body?: Record<string, unknown>;
    beforeCallback?: (callbackUrl: string) => Promise<void>;
  } = {},
): Promise<AdminConsentRun> {
  const link = await adminConsentLink(t, token, options.body);
  const page = await call(t, 'GET', link);
  const run: AdminConsentRun = { link, page: { status: page.status, html: page.body } };
  if (page.status !== 200) return run;
  const signIn = await t.ms.get(continueUrlOf(page.body));
  run.consentPage = await pickAccount(t.ms, signIn, options.admin ?? CONTOSO_ADMIN.id);
  const redirect =
    run.consentPage.status === 302
      ? run.consentPage
      : await decide(t.ms, run.consentPage, options.decision ?? 'accept');
  run.callbackUrl = redirect.headers.location;
  await options.beforeCallback?.(run.callbackUrl);
  const back = await call(t, 'GET', run.callbackUrl);
  run.landed = new URL(String(back.headers.location));
  return run;
}
