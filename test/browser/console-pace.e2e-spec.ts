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
    await expect(page.locator('tbody').textContent()).resolves.toContain('Waiting For Window');
    await shot(page, 'outbound-waiting-list');
    await page.goto(`${t.baseUrl}/admin/resources/outbound_messages/records/${heldId}/show`);
    await page.getByText('Waiting Reason', { exact: false }).first().waitFor();
    const text = await shown();
    expect(text).toContain('Waiting For Window');
    expect(text).toMatch(/2030/);
    await shot(page, 'outbound-waiting-show');
    expect(pageErrors).toEqual([]);
  });

  it('the "Held by pace" card counts the messages the pace holds and opens their list', async () => {
    // A second held message (daily cap), a queued reply and a sent one with a stale reason.
    const p = t.db.prisma;
    const [capped, reply, sent] = await queueMessages(p, profileId, 3, 'Follow-up on pricing', ws);
    const later = new Date('2030-01-08T08:00:00Z');
    await p.outboundMessage.update({
      where: { id: capped },
      data: { waitingReason: 'daily_cap_reached', nextAttemptAt: later },
    });
    await p.outboundMessage.update({
      where: { id: reply },
      data: { isReply: true, nextAttemptAt: later },
    });
    await p.outboundMessage.update({
      where: { id: sent },
      data: { status: 'sent', sentAt: new Date(), waitingReason: 'minimum_gap' },
    });
    const held = await p.$queryRaw<{ subject: string }[]>`
      SELECT subject FROM outbound_message WHERE status = 'queued' AND waiting_reason IN
        ('waiting_for_window', 'daily_cap_reached', 'ramp_limit_reached', 'minimum_gap')`;
    expect(held.map((r) => r.subject).sort()).toEqual([
      'Follow-up on pricing-0',
      'Quick question about Q3-0',
    ]);

    await page.goto(`${t.baseUrl}/admin`);
    const card = page.getByTestId('dashboard-held-by-pace');
    await card
      .getByTestId('count')
      .filter({ hasText: String(held.length) })
      .waitFor();
    await shot(page, 'dashboard-held-by-pace');
    await card.getByText('Held by pace').click();
    await page.waitForURL(/outbound_messages\?filters\.heldByPace=true/);
    await page.getByText('Follow-up on pricing-0').waitFor();
    await expect(page.locator('tbody tr').count()).resolves.toBe(held.length);
    const rows = await page.locator('tbody').textContent();
    expect(rows).toContain('Quick question about Q3-0');
    expect(rows).toContain('Waiting For Window');
    expect(rows).toContain('Daily Cap Reached');
    expect(rows).not.toContain('Follow-up on pricing-1');
    expect(rows).not.toContain('Follow-up on pricing-2');
    await shot(page, 'outbound-held-by-pace-list');

    // The reply filter, from the list's URL as the filter panel writes it.
    await page.goto(
      `${t.baseUrl}/admin/resources/outbound_messages?filters.workspaceId=${ws}&filters.isReply=true`,
    );
    await page.getByText('Follow-up on pricing-1').waitFor();
    await expect(page.locator('tbody tr').count()).resolves.toBe(1);
    expect(pageErrors).toEqual([]);
  });
});
