import { z } from 'zod';

/** The default frontend outside sandbox mode (a local ScendCore frontend dev server). */
export const DEFAULT_FRONTEND_URL = 'http://localhost:5173';

/** Where the service serves its reference Email Setup page. */
export const EMAIL_SETUP_PAGE_PATH = '/email-setup';

/** Environment variables of the reference Email Setup page (documented in .env.example). */
export const emailSetupPageEnvShape = {
  EMAIL_SETUP_PAGE_ENABLED: z
    .enum(['', 'true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
    .optional()
    .transform((v) => (v === undefined || v === '' ? undefined : ['true', '1', 'yes'].includes(v))),
};

export interface EmailSetupPageSettings {
  /** Serve the page (`/email-setup`, `/` leads to it): sandbox mode, or when asked. */
  enabled: boolean;
  path: string;
}

/** What the page shows about the emulator in sandbox mode (handed over by the sandbox wiring). */
export interface SandboxInfo {
  emulatorUrl: string;
  controlApiUrl: string;
  accounts: { address: string; description: string }[];
}

/** On in sandbox mode unless EMAIL_SETUP_PAGE_ENABLED=false; elsewhere only when true. */
export function buildEmailSetupPage(
  enabled: boolean | undefined,
  sandbox: boolean,
): EmailSetupPageSettings {
  return { enabled: enabled ?? sandbox, path: EMAIL_SETUP_PAGE_PATH };
}

/**
 * Allowed frontend origins, the first being where users return by default. FRONTEND_URL unset:
 * the service's own page when it is on in sandbox mode, else the local frontend. With the page
 * on, the service's own origin is always allowed so the page can name itself as `returnTo`.
 */
export function frontendUrlsFor(
  configured: string[] | undefined,
  publicUrl: string,
  page: EmailSetupPageSettings,
  sandbox: boolean,
): string[] {
  const base = (configured ?? []).map((url) => url.replace(/\/+$/, ''));
  if (base.length === 0) base.push(page.enabled && sandbox ? publicUrl : DEFAULT_FRONTEND_URL);
  const own = new URL(publicUrl).origin;
  const listed = base.some((url) => new URL(url).origin === own);
  return page.enabled && !listed ? [...base, publicUrl] : base;
}
