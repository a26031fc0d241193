import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { buildMailbox } from '../factories/mailbox.js';
import { queueMessages } from '../factories/outbound.js';
import { buildSenderProfile } from '../factories/sender-profile.js';
import { buildStaff, STAFF_PASSWORD } from '../factories/staff.js';
import { ARTIFACTS, type Browser, launchChromium } from '../support/browser.js';
import { createSandboxApp, type SandboxApp } from '../support/sandbox-app.js';

const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(ARTIFACTS, `console-${name}.png`), fullPage: true });

/** The sending pace on the console's sender profile, identity and outbound message pages. */
describe('operations console: sending pace in Chromium', () => {
  let t: SandboxApp;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  const ws = 'ws-pace-browser';
  let profileId = '';
  let identityId = '';
  let heldId = '';

  beforeAll(async () => {
    t = await createSandboxApp();
    browser = await launchChromium();
    page = await browser.context.newPage();
    await page.setViewportSize({ width: 1400, height: 900 });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) pageErrors.push(message.text());
    });
    const p = t.db.prisma;
    profileId = (await buildSenderProfile(p, { workspaceId: ws, name: 'Cold outreach EMEA' })).id;
    await p.senderProfile.update({
      where: { id: profileId },
      data: {
        pace: {
          dailyCap: 30,
          gap: { minSeconds: 60, maxSeconds: 120 },
          window: { days: [1, 2, 3, 4, 5], start: '08:00', end: '18:00', timeZone: null },
          ramp: { start: 5, step: 5 },
        },
      },
    });
    const mailbox = await buildMailbox(p, { workspaceId: ws, email: 'adele@contoso.test' });
    identityId = randomUUID();
    await p.identity.create({
      data: {
        id: identityId,
        mailboxId: mailbox.id,
        workspaceId: ws,
        email: 'adele@contoso.test',
        type: 'primary',
        source: 'discovered',
        senderProfileId: profileId,
        paceOverride: { dailyCap: 12 },
      },
    });
    [heldId] = await queueMessages(p, profileId, 1, 'Quick question about Q3', ws);
    await p.outboundMessage.update({
      where: { id: heldId },
      data: {
        waitingReason: 'waiting_for_window',
        nextAttemptAt: new Date('2030-01-07T08:00:00Z'),
      },
    });
    const staff = await buildStaff(p, { role: 'viewer' });
    await page.goto(`${t.baseUrl}/admin/login`);
    await page.fill('#email', staff.email);
    await page.fill('#password', STAFF_PASSWORD);
    await page.click('button[type=submit]');
    await page.getByTestId('console-dashboard').waitFor();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const shown = () => page.locator('body').textContent();

  it('the sender profile page shows its pace in words', async () => {
    await page.goto(`${t.baseUrl}/admin/resources/sender_profiles/records/${profileId}/show`);
    await page.getByText('Sending pace', { exact: true }).waitFor();
    await expect(shown()).resolves.toContain(
      '30 a day · 60–120 s apart · Mon–Fri 08:00–18:00 (mailbox time zone) · ramp 5 +5 a day',
    );
    await shot(page, 'sender-profile-pace');
  });

  it('the identity page shows its own cap and the effective pace over its profile’s', async () => {
    await page.goto(`${t.baseUrl}/admin/resources/identities/records/${identityId}/show`);
    await page.getByText('Effective pace', { exact: true }).waitFor();
    const text = await shown();
    expect(text).toContain('Own pace (override)');
    expect(text).toContain(
      '12 a day · 60–120 s apart · Mon–Fri 08:00–18:00 (mailbox time zone) · ramp 5 +5 a day',
    );
    await shot(page, 'identity-pace');
  });

  it('the outbound messages list and page say why a queued message waits', async () => {
    await page.goto(`${t.baseUrl}/admin/resources/outbound_messages?filters.workspaceId=${ws}`);
    await page.getByText('Quick question about Q3-0').waitFor();
    await expect(page.locator('tbody').textContent()).resolves.toContain('waiting_for_window');
    await shot(page, 'outbound-waiting-list');
    await page.goto(`${t.baseUrl}/admin/resources/outbound_messages/records/${heldId}/show`);
    await page.getByText('Waiting Reason', { exact: false }).first().waitFor();
    const text = await shown();
    expect(text).toContain('waiting_for_window');
    expect(text).toMatch(/2030/);
    await shot(page, 'outbound-waiting-show');
    expect(pageErrors).toEqual([]);
  });
});
