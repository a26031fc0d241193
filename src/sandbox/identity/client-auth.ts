import type { Request } from 'express';
import type { EmulatorStore } from '../store.js';
import type { AppRegistration } from '../model.js';
import { AadError } from './aad-error.js';
import { findApp } from './authorize-request.js';

/**
 * Confidential-client authentication: `client_secret` in the body or HTTP Basic
 * (`client_secret_post` / `client_secret_basic`).
 */
export function authenticateClient(
  store: EmulatorStore,
  req: Request,
  params: Record<string, string>,
  tenant: string,
): AppRegistration {
  const basic = parseBasic(req.headers.authorization);
  const clientId = params.client_id ?? basic?.clientId;
  const secret = params.client_secret ?? basic?.secret;
  const app = findApp(store, clientId, tenant);
  if (!secret) {
    throw new AadError(
      'invalid_client',
      7000218,
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
      401,
    );
  }
  if (secret !== app.clientSecret) {
    throw new AadError(
      'invalid_client',
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.clientId}'.`,
      401,
    );
  }
  return app;
}

function parseBasic(header: string | undefined): { clientId: string; secret: string } | null {
  if (!header?.toLowerCase().startsWith('basic ')) return null;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  // RFC 6749 §2.3.1: both parts are form-urlencoded before Basic encoding.
  const clean = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
  return { clientId: clean(decoded.slice(0, colon)), secret: clean(decoded.slice(colon + 1)) };
}
