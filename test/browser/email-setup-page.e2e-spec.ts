import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { randomUUID } from 'node:crypto';
import {
  ADELE,
  CONTOSO_ADMIN,
  CONTOSO_MAIL_DOMAIN,
  CONTOSO_TENANT_ID,
  MEGAN,
  SANDBOX_APP,
  SUPPORT_MAILBOX,
  SVC_SCANNER,
} from '../../src/sandbox/seed.js';
import type { Browser } from '../support/browser.js';
import {
  DESKTOP,
  createEmailSetupApp,
  expectAccessible,
  focusedId,
  launchPage,
  shot,
  shotSpan,
} from '../support/email-setup-page.js';
import { call, type SandboxApp } from '../support/sandbox-app.js';

/**
 * The guide, walked on the reference Email Setup page in sandbox mode with one browser tab:
 * every call the page makes is the public REST API, as the ScendCore frontend's would be.
 */
describe('Email Setup page: the guide end to end in Chromium', () => {
  let t: SandboxApp;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  let mailboxId = '';

  beforeAll(async () => {
    t = await createEmailSetupApp({
      FRONTEND_URL: '',
      INBOUND_DELIVERY: 'polling',
      INBOUND_POLL_INTERVAL_MS: '1000',
      INBOUND_DELIVERY_INTERVAL_MS: '500',
      INBOUND_PIPELINE_INTERVAL_MS: '300',
      OUTBOUND_DISPATCH_INTERVAL_MS: '300',
      OUTBOX_RELAY_INTERVAL_MS: '300',
    });
    ({ browser, page } = await launchPage());
    // Errors of this page only (the emulator's and the admin consent link's pages have no
    // favicon, for one).
    page.on('console', (m) => {
      const ours = page.url().startsWith(`${t.baseUrl}/email-setup`);
      if (m.type() === 'error' && ours && !m.location().url.endsWith('/favicon.ico')) {
        problems.push(`${m.text()} ${m.location().url}`);
      }
    });
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('response', (r) => {
      if (r.status() >= 400) problems.push(`${r.status()} ${r.request().method()} ${r.url()}`);
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const token = () => page.evaluate(() => sessionStorage.getItem('scendcore.emailSetup.token'));
  const api = async (method: string, path: string) =>
    (await call(t, method, path, { token: (await token()) ?? '' })).json();
  const card = () => page.getByRole('article', { name: ADELE.mail });
  const cardStatus = () => card().getByRole('status');

  async function signIn(account: string, decision: 'Accept' | 'Cancel' = 'Accept') {
    await page.getByRole('heading', { name: 'Pick an account' }).waitFor();
    await page.getByTestId(`account-${account}`).click();
    const consent = page.getByRole('heading', { name: /Permissions requested/ });
    const back = page.waitForURL(`${t.baseUrl}/email-setup**`);
    const next = await Promise.race([
      consent.waitFor().then(() => 'consent'),
      back.then(() => 'back'),
    ]);
    if (next === 'consent') await page.getByRole('button', { name: decision }).click();
    await page.waitForURL(`${t.baseUrl}/email-setup`);
    await page.locator('body[data-ready]').waitFor();
  }

  it('/ leads to the page: sandbox banner with the emulator accounts, a demo token, nothing connected', async () => {
    await page.goto(`${t.baseUrl}/`);
    await page.waitForURL(`${t.baseUrl}/email-setup`);
    await page.locator('body[data-ready]').waitFor();
    const banner = page.getByRole('complementary', { name: 'Sandbox mode' });
    for (const address of [ADELE.mail, SUPPORT_MAILBOX.mail]) {
      await expect(banner.textContent()).resolves.toContain(address);
    }
    await expect(banner.textContent()).resolves.toContain(t.emulator.baseUrl);
    await expect(page.locator('#access-who').textContent()).resolves.toContain('demo-user');
    await expect(page.locator('#mailboxes').textContent()).resolves.toContain(
      'No mailbox is connected yet',
    );
    await page.screenshot({ path: shot('01-start'), fullPage: true });
    await expectAccessible(page);
  });

  it('Connect Microsoft: pick Adele, Accept, back under Connected Mailboxes with the badge and identities', async () => {
    await page.getByRole('button', { name: 'Connect Microsoft' }).click();
    await signIn(ADELE.userPrincipalName);
    await expect(
      page.getByRole('heading', { name: `Connected ${ADELE.mail}` }).isVisible(),
    ).resolves.toBe(true);
    await expect(card().locator('[id$="-badge"]').textContent()).resolves.toBe('Status: Active');
    const rows = card()
      .getByRole('table', { name: `Identities of ${ADELE.mail}` })
      .getByRole('row');
    await expect(rows.allTextContents()).resolves.toEqual([
      expect.stringContaining('Address'),
      expect.stringMatching(/adele@contoso\.com.*Primary.*Active/),
      expect.stringMatching(/adele\.vance@contoso\.com.*Alias.*Active/),
      expect.stringMatching(/av@sales\.contoso\.com.*Alias.*Active/),
    ]);
    mailboxId = (await card().getAttribute('id'))?.replace('mailbox-', '') ?? '';
    await shotSpan(page, page.locator('#notices'), card(), '02-connected');
    await expectAccessible(page);
  });

  it('+ Add Send As Address: support@contoso.com, then Verify sends a test message from it', async () => {
    await card().getByText('+ Add Send As Address').click();
    await card().getByLabel('Email address').fill(SUPPORT_MAILBOX.mail);
    await card().getByLabel('Display name (optional)').fill('Contoso Support');
    await card().getByRole('button', { name: 'Add address' }).click();
    await cardStatus()
      .filter({ hasText: `Added ${SUPPORT_MAILBOX.mail}.` })
      .waitFor();
    const row = card().locator('tr', { hasText: SUPPORT_MAILBOX.mail });
    await expect(row.textContent()).resolves.toMatch(/Send As.*Active.*Not verified yet/);

    await card()
      .getByRole('button', { name: `Verify ${SUPPORT_MAILBOX.mail}` })
      .click();
    await cardStatus()
      .filter({ hasText: `Verified: Microsoft sent a test message from ${SUPPORT_MAILBOX.mail}` })
      .waitFor();
    await expect(row.textContent()).resolves.toMatch(/Send As.*Active.*Verified/);
    const sent = t.emulator.control.graph.sentMail({ mailbox: ADELE.mail });
    expect(sent.map((m) => m.from.address)).toContain(SUPPORT_MAILBOX.mail);
    await card().screenshot({ path: shot('03-send-as-verified') });
  });

  it('sender profile: create it, assign identities to it, and it is ready to send', async () => {
    await page.getByText('+ New sender profile').click();
    await page.getByLabel('Profile name').fill('Outreach');
    await page.getByLabel('From name').fill('Adele Vance');
    await page.getByRole('button', { name: 'Create sender profile' }).click();
    await page.locator('#profiles-status', { hasText: 'Created Outreach' }).waitFor();
    for (const address of [ADELE.mail, SUPPORT_MAILBOX.mail]) {
      await page.getByLabel(`Sender profile for ${address}`).selectOption({ label: 'Outreach' });
      await cardStatus()
        .filter({ hasText: `${address} now sends for the sender profile Outreach` })
        .waitFor();
    }
    const profileRow = page.locator('#profiles tbody tr', { hasText: 'Outreach' });
    await expect(profileRow.textContent()).resolves.toMatch(
      /adele@contoso\.com, support@contoso\.com.*Ready to send/,
    );
    const mailbox = (await api('GET', `/v1/mailboxes/${mailboxId}`)) as {
      identities: { email: string; senderProfileId: string | null }[];
    };
    const assigned = mailbox.identities.filter((i) => i.senderProfileId).map((i) => i.email);
    expect(assigned.sort()).toEqual([ADELE.mail, SUPPORT_MAILBOX.mail]);
    await shotSpan(
      page,
      card().getByRole('table'),
      page.locator('#profiles'),
      '04-profile-assigned',
    );
    await expectAccessible(page);
  });

  it('send a test message through the profile: queued, then sent by Microsoft', async () => {
    await page.locator('#send-profile').selectOption({ label: 'Outreach' });
    await page.getByLabel('To', { exact: true }).fill('ann@example.com');
    await page.getByRole('button', { name: 'Send test message' }).click();
    await page.locator('#send-status', { hasText: 'Sent from' }).waitFor({ timeout: 20_000 });
    await page.locator('#messages-recent tr', { hasText: 'Sent' }).first().waitFor();
    const sent = t.emulator.control.graph.sentMail({});
    const test = sent.filter((m) => m.toRecipients.some((r) => r.address === 'ann@example.com'));
    expect(test).toHaveLength(1);
    expect([ADELE.mail, SUPPORT_MAILBOX.mail]).toContain(test[0].from.address);
    await page.locator('#send').screenshot({ path: shot('05-test-message-sent') });
  });

  it('Inbound AI on with Support / Triage Only; new mail is classified and triaged, never answered', async () => {
    await card().getByText('Inbound AI: Off').click();
    const inbound = card().getByRole('group', { name: 'Inbound AI' });
    await inbound.getByLabel('Inbound AI', { exact: true }).check();
    await inbound.getByLabel('Mailbox Purpose').selectOption('support');
    await inbound.getByLabel('AI Behavior').selectOption('triage_only');
    await inbound.getByRole('button', { name: 'Save Inbound AI settings' }).click();
    await cardStatus()
      .filter({ hasText: `Inbound AI is on for ${ADELE.mail}: Support, Triage Only.` })
      .waitFor();
    const mailbox = (await api('GET', `/v1/mailboxes/${mailboxId}`)) as { inbound: unknown };
    expect(mailbox.inbound).toEqual({ enabled: true, purpose: 'support', behavior: 'triage_only' });

    t.emulator.control.graph.injectInbound({
      mailbox: ADELE.mail,
      from: { address: 'casey@example.com', name: 'Casey Customer' },
      subject: 'Cannot log in to my account',
      body: 'Hello, since this morning I cannot log in to my account. Can you help me?',
    });
    await card().getByText('Recent inbound mail').click();
    const triaged = card()
      .locator('tr', { hasText: 'Cannot log in' })
      .filter({ hasText: 'Triaged' });
    for (let i = 0; i < 40 && !(await triaged.count()); i += 1) {
      await page.waitForTimeout(500);
      await card().getByRole('button', { name: 'Reload inbound mail' }).click();
    }
    await triaged.waitFor({ timeout: 1000 });
    const sentReplies = t.emulator.control.graph
      .sentMail({})
      .filter((m) => m.toRecipients.some((r) => r.address === 'casey@example.com'));
    expect(sentReplies).toEqual([]);
    await shotSpan(page, cardStatus(), page.locator(`#inbound-${mailboxId}`), '06-inbound-ai');
    await expectAccessible(page);
  });

  it('Refresh after an alias is added in the emulator says what changed and shows it', async () => {
    t.emulator.control.addAlias(ADELE.id, 'smtp:adele.sales@contoso.com');
    await card()
      .getByRole('button', { name: `Refresh ${ADELE.mail}` })
      .click();
    await cardStatus()
      .filter({ hasText: 'Refresh found 1 new: adele.sales@contoso.com.' })
      .waitFor();
    const row = card().locator('tr', { hasText: 'adele.sales@contoso.com' });
    await expect(row.textContent()).resolves.toMatch(/Alias.*Active.*Not assigned/);
    await card().screenshot({ path: shot('07-refresh-alias') });
  });

  it('a revoked sign-in: sending waits, the badge says Needs re-auth in words, Reconnect fixes the mailbox', async () => {
    t.emulator.control.revokeRefreshTokens(ADELE.id);
    t.emulator.control.failNext({ method: 'POST', path: '/v1.0/me/sendMail', status: 401 });
    await page.getByLabel('To', { exact: true }).fill('bob@example.com');
    await page.getByRole('button', { name: 'Send test message' }).click();
    await page
      .locator('#send-status', { hasText: 'Waiting: The mailbox must be reconnected' })
      .waitFor({ timeout: 20_000 });
    await card().locator('[id$="-badge"]', { hasText: 'Needs re-auth' }).waitFor();
    await expect(card().textContent()).resolves.toContain('Reconnect the mailbox');
    await shotSpan(page, card(), page.locator('#send'), '08-needs-reauth');
    await expectAccessible(page);

    const reconnectAt = new Date();
    await card().getByRole('button', { name: 'Reconnect' }).click();
    await signIn(ADELE.userPrincipalName);
    await page.getByRole('heading', { name: `Connected ${ADELE.mail}` }).waitFor();
    await expect(card().locator('[id$="-badge"]').textContent()).resolves.toBe('Status: Active');
    // The reconnect (mailbox.connected) makes the waiting message due at once: it goes out.
    const deadline = Date.now() + 20_000;
    for (;;) {
      const queued = (await api('GET', '/v1/messages?status=queued')) as { items: unknown[] };
      if (queued.items.length === 0) break;
      if (Date.now() > deadline) throw new Error('the waiting message did not go out');
      await page.waitForTimeout(250);
    }
    const toBob = t.emulator.control.graph
      .sentMail({ since: reconnectAt })
      .filter((m) => m.toRecipients.some((r) => r.address === 'bob@example.com'));
    expect(toBob).toHaveLength(1);
  });

  it('on a phone: one column, tables stacked, nothing cut off', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    const overflow = await page.evaluate(() => {
      const root = (
        globalThis as unknown as {
          document: { documentElement: { scrollWidth: number; clientWidth: number } };
        }
      ).document.documentElement;
      return root.scrollWidth - root.clientWidth;
    });
    expect(overflow).toBeLessThanOrEqual(0);
    await page.evaluate(() =>
      (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0),
    );
    await page.screenshot({ path: shot('09-phone') });
    await card().screenshot({ path: shot('09-phone-mailbox') });
    await expectAccessible(page);
    await page.setViewportSize(DESKTOP);
  });

  it('Disconnect asks first; Cancel keeps the mailbox, Disconnect removes it and unassigns its identities', async () => {
    const disconnect = card().getByRole('button', { name: `Disconnect ${ADELE.mail}` });
    const dialog = page.getByRole('dialog', { name: `Disconnect ${ADELE.mail}?` });
    await disconnect.click();
    await dialog.waitFor();
    await page.screenshot({ path: shot('10-disconnect-confirm') });
    await expectAccessible(page);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(card().count()).resolves.toBe(1);

    await disconnect.click();
    await dialog.getByRole('button', { name: 'Disconnect' }).click();
    await page.getByRole('heading', { name: `Disconnected ${ADELE.mail}` }).waitFor();
    await card().waitFor({ state: 'detached' });
    expect(await api('GET', '/v1/mailboxes')).toMatchObject({ items: [] });
    const profileRow = page.locator('#profiles tbody tr', { hasText: 'Outreach' });
    await shotSpan(page, page.locator('#notices'), page.locator('#profiles'), '11-disconnected');
    // The identities leave the profile when the disconnect's event is handled; the page looks
    // again a moment later.
    await profileRow.filter({ hasText: 'No identity is assigned' }).waitFor();
    expect(problems).toEqual([]);
  });

  /** The notice the callback result produced: its code, heading and text. */
  async function errorNotice(code: string, name: string) {
    const notice = page.locator('#notices [role="alert"]').first();
    await notice.waitFor();
    expect(await notice.getAttribute('data-code')).toBe(code);
    const text = (await notice.textContent()) ?? '';
    expect(text).toContain(`(${code})`);
    expect(text).toContain('What to do:');
    await notice.screenshot({ path: shot(`12-error-${name}`) });
    await page.getByRole('button', { name: 'Dismiss' }).first().click();
    return text;
  }

  it('each sign-in callback error lands on the page with the guide’s explanation and a way on', async () => {
    await page.goto(`${t.baseUrl}/v1/microsoft/authorize?attempt=${randomUUID()}`);
    await page.locator('body[data-ready]').waitFor();
    await expect(errorNotice('invalid_state', 'invalid-state')).resolves.toContain(
      'only in the browser that started it',
    );

    t.emulator.store.grants.revokeUserConsent(ADELE.id, SANDBOX_APP.clientId);
    await page.getByRole('button', { name: 'Connect Microsoft' }).click();
    await signIn(ADELE.userPrincipalName, 'Cancel');
    await expect(errorNotice('access_denied', 'access-denied')).resolves.toContain('choose Accept');

    t.emulator.control.failNext({
      method: 'POST',
      path: '/*/oauth2/v2.0/token',
      status: 500,
      body: { error: 'server_error' },
    });
    await page.getByRole('button', { name: 'Connect Microsoft' }).click();
    await signIn(ADELE.userPrincipalName);
    await expect(errorNotice('token_exchange_failed', 'token-exchange-failed')).resolves.toContain(
      'token service',
    );

    await page.getByRole('button', { name: 'Connect Microsoft' }).click();
    await signIn(SVC_SCANNER.userPrincipalName);
    await expect(errorNotice('profile_fetch_failed', 'profile-fetch-failed')).resolves.toContain(
      'has no Exchange Online mailbox',
    );

    t.emulator.control.setUserConsentAllowed(CONTOSO_TENANT_ID, false);
    t.emulator.store.grants.revokeUserConsent(ADELE.id, SANDBOX_APP.clientId);
    await page.getByRole('button', { name: 'Connect Microsoft' }).click();
    await signIn(ADELE.userPrincipalName);
    const notice = page.locator('#notices [role="alert"]').first();
    await notice.waitFor();
    await notice.getByRole('button', { name: 'Create an admin consent link' }).click();
    await page.getByLabel('Admin consent link').waitFor();
    await expect(focusedId(page)).resolves.toBe('consent-link');
    await expect(
      errorNotice('admin_consent_required', 'admin-consent-required'),
    ).resolves.toContain('Need admin approval');
    t.emulator.control.setUserConsentAllowed(CONTOSO_TENANT_ID, true);
    expect(problems).toEqual([]);
  });

  it('admin consent: Cancel and a failed consent explain themselves; Accept connects the organization', async () => {
    const link = page.getByLabel('Admin consent link');
    /** A new link each time (the one made from the notice earlier may still be shown). */
    const createLink = async () => {
      const before = (await link.count()) ? await link.inputValue() : '';
      await page.getByRole('button', { name: 'Create admin consent link' }).click();
      for (let i = 0; i < 50; i += 1) {
        if ((await link.count()) && (await link.inputValue()) !== before) break;
        await page.waitForTimeout(100);
      }
      const value = await link.inputValue();
      expect(value).not.toBe(before);
      return value;
    };
    await createLink();
    await page.locator('#admin-consent').screenshot({ path: shot('13-admin-consent-link') });
    await page.getByRole('link', { name: 'Open it (I am the admin)' }).click();
    await page.getByRole('link', { name: 'Continue to Microsoft' }).click();
    await signIn(CONTOSO_ADMIN.userPrincipalName, 'Cancel');
    await expect(errorNotice('access_denied', 'admin-consent-access-denied')).resolves.toContain(
      'The admin cancelled or declined',
    );

    const state = new URL(await createLink()).searchParams.get('link');
    await page.goto(
      `${t.baseUrl}/v1/microsoft/admin-consent/callback?error=server_error&admin_consent=True&tenant=${CONTOSO_TENANT_ID}&state=${state}`,
    );
    await page.locator('body[data-ready]').waitFor();
    await expect(errorNotice('admin_consent_failed', 'admin-consent-failed')).resolves.toContain(
      'another organization than the link named',
    );

    await createLink();
    await page.getByRole('link', { name: 'Open it (I am the admin)' }).click();
    await page.getByRole('link', { name: 'Continue to Microsoft' }).click();
    await signIn(CONTOSO_ADMIN.userPrincipalName);
    await page.getByRole('heading', { name: /^Organization connected/ }).waitFor();
    const organization = page.getByRole('article', { name: CONTOSO_MAIL_DOMAIN, exact: true });
    await expect(organization.textContent()).resolves.toMatch(/Active|Syncing/);
    await page.getByRole('article', { name: MEGAN.mail }).waitFor();
    await expect(page.getByRole('article', { name: MEGAN.mail }).textContent()).resolves.toContain(
      'Organization (admin consent)',
    );
    await shotSpan(
      page,
      page.locator('#notices'),
      page.locator('#organizations'),
      '14-organization',
    );
    await expectAccessible(page);

    await organization.getByRole('button', { name: 'Remove organization' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove organization' }).click();
    await page.getByRole('heading', { name: `Removed ${CONTOSO_MAIL_DOMAIN}` }).waitFor();
    await organization.waitFor({ state: 'detached' });
    await expect(page.getByRole('article', { name: MEGAN.mail }).count()).resolves.toBe(0);
    expect(problems).toEqual([]);
  });
});
