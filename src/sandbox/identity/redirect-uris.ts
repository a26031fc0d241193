import type { AppRegistration } from '../model.js';

/**
 * Exact match against the registered URIs; with `allowLoopbackRedirects`, any port of
 * `http://localhost` / `http://127.0.0.1` is accepted too (Entra ID ignores the port of
 * loopback redirect URIs).
 */
export function isRedirectUriAllowed(app: AppRegistration, uri: string): boolean {
  if (app.redirectUris.includes(uri)) return true;
  if (!app.allowLoopbackRedirects) return false;
  try {
    const url = new URL(uri);
    return (
      url.protocol === 'http:' && (url.hostname === 'localhost' || url.hostname === '127.0.0.1')
    );
  } catch {
    return false;
  }
}
