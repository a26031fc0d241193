import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { CONTOSO_ADMIN } from '../../src/sandbox/seed.js';
import { adminConsentLink } from '../factories/admin-consent.js';
import { ARTIFACTS, type Browser, launchChromium } from '../support/browser.js';
import { call, createSandboxApp, type SandboxApp, sandboxToken } from '../support/sandbox-app.js';

/** The one DOM method the test needs (the project compiles without the DOM library). */
interface Focusable {
  matches(selector: string): boolean;
}

/** A stand-in for ScendCore's Email Setup page: shows what the connector sent back. */
function emailSetupPage(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const query = new URL(req.url ?? '/', 'http://x').searchParams;
    const result = query.get('organization')
      ? `Organization connected: ${query.get('organization')}`
      : `Error: ${query.get('error')}`;
    res.setHeader('content-type', 'text/html');
    res.end(
      `<!DOCTYPE html><title>Email Setup</title><h1>Email Setup</h1><p id="result">${result.replace(/[<>&]/g, '')}</p>`,
    );
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({
        server,
        url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
      });
    }),
  );
}

describe('admin consent hand-off in headless Chromium', () => {
  let t: SandboxApp;
  let frontend: { server: Server; url: string };
  let browser: Browser;
  let context: BrowserContext;
  let token: string;

  beforeAll(async () => {
    frontend = await emailSetupPage();
    t = await createSandboxApp({ FRONTEND_URL: frontend.url });
    token = await sandboxToken(t, 'owner-browser', 'ws-browser-org');
    browser = await launchChromium();
    context = browser.context;
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => frontend.server.close(() => resolve()));
    await t.close();
  });

  /** Opens the link as the IT admin would; collects CSP violations and console errors. */
  const openLink = async (link: string): Promise<{ page: Page; problems: string[] }> => {
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      // Browsers ask every host for a favicon; none of them has one.
      if (m.type() === 'error' && !m.location().url.endsWith('/favicon.ico'))
        problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(link);
    return { page, problems };
  };

  it('the link page names the workspace and the permissions; Continue → Microsoft → Accept → Email Setup with the organization', async () => {
    const link = await adminConsentLink(t, token, {
      workspaceName: 'Acme Sales',
      requestedBy: 'Ann Lee <ann@acme.example>',
    });
    const { page, problems } = await openLink(link);
    await expect(page.title()).resolves.toBe('Connect your Microsoft 365 organization · ScendCore');
    const main = page.getByRole('main', { name: 'Connect your Microsoft 365 organization' });
    await expect(main.isVisible()).resolves.toBe(true);
    await expect(main.textContent()).resolves.toContain('Acme Sales');
    await expect(main.textContent()).resolves.toContain('Ann Lee <ann@acme.example>');
    const permissions = page.getByRole('list', {
      name: 'Application permissions Microsoft will ask you to grant',
    });
    await expect(permissions.getByRole('listitem').allTextContents()).resolves.toHaveLength(4);
    await page.keyboard.press('Tab');
    const continueLink = page.getByRole('link', { name: 'Continue to Microsoft' });
    await expect(
      continueLink.evaluate((el) => (el as unknown as Focusable).matches(':focus')),
    ).resolves.toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'admin-consent-link-page.png'), fullPage: true });

    await continueLink.click();
    await page.getByRole('heading', { name: 'Pick an account' }).waitFor();
    await page.getByTestId(`account-${CONTOSO_ADMIN.userPrincipalName}`).click();
    await page.getByRole('heading', { name: /Permissions requested/ }).waitFor();
    await expect(page.getByTestId('permission').allTextContents()).resolves.toContain(
      'Send mail as any user',
    );
    await page.screenshot({ path: join(ARTIFACTS, 'admin-consent-microsoft.png'), fullPage: true });
    await page.getByRole('button', { name: 'Accept' }).click();
    await page.waitForURL(`${frontend.url}/settings/email-setup?**`);
    const organizationId = new URL(page.url()).searchParams.get('organization');
    expect(organizationId).toBeTruthy();
    await expect(page.locator('#result').textContent()).resolves.toBe(
      `Organization connected: ${organizationId}`,
    );
    await page.screenshot({ path: join(ARTIFACTS, 'admin-consent-done.png') });
    expect(problems).toEqual([]);

    const org = await call(t, 'GET', `/v1/organizations/${organizationId}`, { token });
    expect(org.json()).toMatchObject({ status: 'active', counts: { mailboxes: 4 } });

    await page.goto(link);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'Link no longer usable',
    );
    await page.screenshot({ path: join(ARTIFACTS, 'admin-consent-link-used.png') });
    await page.close();
  });

  it('Cancel on Microsoft’s page lands on Email Setup with error=access_denied', async () => {
    const { page } = await openLink(await adminConsentLink(t, token));
    await page.getByRole('link', { name: 'Continue to Microsoft' }).click();
    const cancel = page.getByRole('button', { name: 'Cancel' });
    await page.getByRole('heading', { name: 'Pick an account' }).or(cancel).first().waitFor();
    const account = page.getByTestId(`account-${CONTOSO_ADMIN.userPrincipalName}`);
    if (await account.isVisible().catch(() => false)) await account.click();
    await cancel.click();
    await page.waitForURL(`${frontend.url}/settings/email-setup?**`);
    expect(new URL(page.url()).searchParams.get('error')).toBe('access_denied');
    await page.close();
  });
});
