import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { ARTIFACTS, type Browser, launchChromium } from '../support/browser.js';
import { ADELE, CONTOSO_TENANT_ID, SANDBOX_APP } from '../../src/sandbox/seed.js';
import { call, createSandboxApp, type SandboxApp, sandboxToken } from '../support/sandbox-app.js';

/**
 * A stand-in for ScendCore's Email Setup page. Connect does what the frontend must do: POST
 * /v1/microsoft/connect with credentials (the answer sets the cookie binding the attempt to this
 * browser), then navigate to the authorization URL. It shows what the connector sent back.
 */
function emailSetupPage(connector: () => string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const query = url.searchParams;
    res.setHeader('content-type', 'text/html');
    if (url.pathname === '/connect') {
      const token = JSON.stringify(query.get('token') ?? '');
      res.end(`<!DOCTYPE html><title>Email Setup</title><button id="connect">Connect Microsoft</button>
<script>document.getElementById('connect').onclick = async () => {
  const r = await fetch(${JSON.stringify(connector())} + '/v1/microsoft/connect', { method: 'POST',
    credentials: 'include', headers: { authorization: 'Bearer ' + ${token}, 'content-type': 'application/json' }, body: '{}' });
  location.href = (await r.json()).authorizationUrl;
};</script>`);
      return;
    }
    const result = query.get('connected')
      ? `Connected mailbox ${query.get('connected')}`
      : `Error: ${query.get('error')}`;
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
    frontend = await emailSetupPage(() => t.baseUrl);
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
    const page = await context.newPage();
    await page.goto(`${frontend.url}/connect?token=${encodeURIComponent(token)}`);
    await page.getByRole('button', { name: 'Connect Microsoft' }).click();
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
    const page = await context.newPage();
    await page.goto(`${frontend.url}/connect?token=${encodeURIComponent(token)}`);
    await page.getByRole('button', { name: 'Connect Microsoft' }).click();
    // The frontend's fetch, then the navigation to Microsoft's page: wait until it is there.
    const cancel = page.getByRole('button', { name: 'Cancel' });
    await page.getByRole('heading', { name: 'Pick an account' }).or(cancel).first().waitFor();
    const account = page.getByTestId(`account-${ADELE.userPrincipalName}`);
    if (await account.isVisible().catch(() => false)) await account.click();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.waitForURL(`${frontend.url}/settings/email-setup?**`);
    expect(new URL(page.url()).searchParams.get('error')).toBe('access_denied');
    await page.close();
  });
});
