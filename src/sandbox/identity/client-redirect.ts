import type { Response } from 'express';
import { escapeHtml } from './pages/html.js';

export type ResponseMode = 'query' | 'fragment' | 'form_post';

/** Where and how the authorization response goes back to the client. */
export interface ClientRedirect {
  redirectUri: string;
  responseMode: ResponseMode;
}

/** Sends the authorization response: a 302 with query or fragment, or an auto-posting form. */
export function respondToClient(
  res: Response,
  target: ClientRedirect,
  params: Record<string, string | null | undefined>,
): void {
  const entries = Object.entries(params).filter(
    (e): e is [string, string] => typeof e[1] === 'string',
  );
  res.set('Cache-Control', 'no-store');
  if (target.responseMode === 'form_post') {
    res.type('html').send(formPostPage(target.redirectUri, entries));
    return;
  }
  const url = new URL(target.redirectUri);
  const encoded = new URLSearchParams(entries);
  if (target.responseMode === 'fragment') url.hash = encoded.toString();
  else encoded.forEach((value, key) => url.searchParams.append(key, value));
  res.redirect(302, url.toString());
}

/** The page Entra ID returns for `response_mode=form_post`: a form that submits itself. */
function formPostPage(action: string, entries: Array<[string, string]>): string {
  const inputs = entries
    .map(
      ([name, value]) =>
        `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}" />`,
    )
    .join('');
  return `<html><head><title>Working...</title></head><body><form method="POST" name="hiddenform" action="${escapeHtml(action)}">${inputs}<noscript><p>Script is disabled. Click Submit to continue.</p><input type="submit" value="Submit" /></noscript></form><script>document.forms[0].submit();</script></body></html>`;
}
