import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { ARTIFACTS, type Browser, launchChromium } from '../support/browser.js';
import { ADELE, CONTOSO_TENANT_ID, SANDBOX_APP } from '../../src/sandbox/seed.js';
import { call, createSandboxApp, type SandboxApp, sandboxToken } from '../support/sandbox-app.js';

/** A stand-in for ScendCore's Email Setup page: shows what the connector sent back. */
function emailSetupPage(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const query = new URL(req.url ?? '/', 'http://x').searchParams;
    const result = query.get('connected')
      ? `Connected mailbox ${query.get('connected')}`
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

describe('Connect journey in headless Chromium', () => {
  let t: SandboxApp;
  let frontend: { server: Server; url: string };
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    frontend = await emailSetupPage();
    t = await createSandboxApp({ FRONTEND_URL: frontend.url });
    browser = await launchChromium();
    context = browser.context;
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => frontend.server.close(() => resolve()));
    await t.close();
  });

  it('clicks through sign-in and Accept and lands on Email Setup with the mailbox connected', async () => {
    const token = await sandboxToken(t, 'browser-user', 'ws-browser');
    const start = await call(t, 'POST', '/v1/microsoft/connect', { token, body: {} });
    const page = await context.newPage();
    await page.goto(start.json<{ authorizationUrl: string }>().authorizationUrl);
    await page.getByRole('heading', { name: 'Pick an account' }).waitFor();
    await page.getByTestId(`account-${ADELE.userPrincipalName}`).click();
    await page.getByRole('heading', { name: 'Permissions requested' }).waitFor();
    await page.getByRole('button', { name: 'Accept' }).click();
    await page.waitForURL(`${frontend.url}/settings/email-setup?**`);
    const landed = new URL(page.url());
    const mailboxId = landed.searchParams.get('connected');
    expect(mailboxId).toBeTruthy();
    await expect(page.locator('#result').textContent()).resolves.toBe(
      `Connected mailbox ${mailboxId}`,
    );
    await page.screenshot({ path: join(ARTIFACTS, 'email-setup-connected.png') });

    const mailbox = await call(t, 'GET', `/v1/mailboxes/${mailboxId}`, { token });
    expect(mailbox.json()).toMatchObject({
      status: 'active',
      email: ADELE.mail,
      tenantId: CONTOSO_TENANT_ID,
    });
    await page.close();
  });

  it('Cancel on the consent page lands on Email Setup with error=access_denied', async () => {
    t.emulator.store.grants.revokeUserConsent(ADELE.id, SANDBOX_APP.clientId);
    const token = await sandboxToken(t, 'browser-user', 'ws-browser');
    const start = await call(t, 'POST', '/v1/microsoft/connect', { token, body: {} });
    const page = await context.newPage();
    await page.goto(start.json<{ authorizationUrl: string }>().authorizationUrl);
    const account = page.getByTestId(`account-${ADELE.userPrincipalName}`);
    if (await account.isVisible().catch(() => false)) await account.click();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.waitForURL(`${frontend.url}/settings/email-setup?**`);
    expect(new URL(page.url()).searchParams.get('error')).toBe('access_denied');
    await page.close();
  });
});
