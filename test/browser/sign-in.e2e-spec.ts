import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { ARTIFACTS, type Browser, launchChromium } from '../support/browser.js';
import { startM365Emulator, type M365Emulator } from '../../src/sandbox/emulator.js';
import { ADELE, MEGAN, SANDBOX_APP } from '../../src/sandbox/seed.js';

describe('sign-in and consent pages in Chromium', () => {
  let emulator: M365Emulator;
  let target: Server;
  let redirectUri: string;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    emulator = await startM365Emulator();
    target = createServer((req, res) => {
      res.setHeader('content-type', 'text/html');
      res.end(
        `<!DOCTYPE html><title>Callback</title><h1>Back in the app</h1><pre id="query">${new URL(req.url ?? '/', 'http://x').search}</pre>`,
      );
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    const address = target.address();
    redirectUri = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/callback`;
    browser = await launchChromium();
    context = browser.context;
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => target.close(() => resolve()));
    await emulator.close();
  });

  const authorizeUrl = (state: string, extra: Record<string, string> = {}) =>
    `${emulator.baseUrl}/organizations/oauth2/v2.0/authorize?${new URLSearchParams({
      client_id: SANDBOX_APP.clientId,
      response_type: 'code',
      redirect_uri: redirectUri,
      response_mode: 'query',
      scope: 'openid profile offline_access User.Read Mail.Send Mail.Send.Shared',
      state,
      ...extra,
    })}`;

  it('signs in, shows the consent page, and Accept lands on the redirect URI with a code', async () => {
    const page = await context.newPage();
    await page.goto(authorizeUrl('accept-state'));
    await expect(page.getByRole('heading', { name: 'Pick an account' }).isVisible()).resolves.toBe(
      true,
    );
    await page.getByTestId(`account-${ADELE.userPrincipalName}`).click();
    await page.getByRole('heading', { name: 'Permissions requested' }).waitFor();
    const permissions = await page.getByTestId('permission').allTextContents();
    expect(permissions).toEqual(
      expect.arrayContaining([
        'Send mail as you',
        'Send mail on behalf of others or yourself',
        'Sign you in and read your profile',
      ]),
    );
    await page.screenshot({ path: join(ARTIFACTS, 'consent-page.png'), fullPage: true });
    await page.getByRole('button', { name: 'Accept' }).click();
    await page.waitForURL((url) => url.href.startsWith(redirectUri));
    const landed = new URL(page.url());
    expect(landed.searchParams.get('code')).toBeTruthy();
    expect(landed.searchParams.get('state')).toBe('accept-state');
    await page.close();
  });

  it('Cancel lands on the redirect URI with error=access_denied', async () => {
    const page = await context.newPage();
    await page.goto(
      authorizeUrl('cancel-state', {
        prompt: 'select_account',
        login_hint: MEGAN.userPrincipalName,
      }),
    );
    await expect(page.getByTestId('login-input').inputValue()).resolves.toBe(
      MEGAN.userPrincipalName,
    );
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.waitForURL((url) => url.href.startsWith(redirectUri));
    const landed = new URL(page.url());
    expect(landed.searchParams.get('error')).toBe('access_denied');
    expect(landed.searchParams.get('error_description')).toContain('AADSTS65004');
    expect(landed.searchParams.get('state')).toBe('cancel-state');
    await page.close();
  });
});
