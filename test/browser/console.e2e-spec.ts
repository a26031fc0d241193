import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { buildInboundMessage, buildInboundSubscription } from '../factories/inbound.js';
import { buildMailbox } from '../factories/mailbox.js';
import { buildStaff, STAFF_PASSWORD } from '../factories/staff.js';
import { ARTIFACTS, type Browser, launchChromium } from '../support/browser.js';
import { createSandboxApp, type SandboxApp } from '../support/sandbox-app.js';

const ADMIN = { email: 'ops-admin@scendcore.test', password: 'bootstrap password 1' };
const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(ARTIFACTS, `console-${name}.png`), fullPage: true });

describe('operations console in Chromium', () => {
  let t: SandboxApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    t = await createSandboxApp({
      CONSOLE_BOOTSTRAP_EMAIL: ADMIN.email,
      CONSOLE_BOOTSTRAP_PASSWORD: ADMIN.password,
      CONSOLE_LOGIN_MAX_FAILURES: '3',
    });
    browser = await launchChromium();
    context = browser.context;
    page = await context.newPage();
    await page.setViewportSize({ width: 1400, height: 900 });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      // The CSP must not block any of the console's own scripts.
      if (/Content Security Policy/i.test(message.text())) pageErrors.push(message.text());
    });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function signIn(email: string, password = STAFF_PASSWORD): Promise<void> {
    await context.clearCookies();
    await page.goto(`${t.baseUrl}/admin/login`);
    await page.fill('#email', email);
    await page.fill('#password', password);
    await page.click('button[type=submit]');
  }

  it('the bootstrap admin signs in and lands on the dashboard', async () => {
    await page.goto(`${t.baseUrl}/admin`);
    expect(new URL(page.url()).pathname).toBe('/admin/login');
    await shot(page, 'login');
    await signIn(ADMIN.email, ADMIN.password);
    await page.getByTestId('console-dashboard').waitFor();
    await page.getByTestId('dashboard-queue').waitFor();
    await expect(page.getByText(ADMIN.email).first().isVisible()).resolves.toBe(true);
    await shot(page, 'admin-signed-in');
    expect(pageErrors).toEqual([]);
  });

  it('wrong password three times locks the account, then the right one is refused too', async () => {
    const staff = await buildStaff(t.db.prisma, { role: 'operator' });
    for (let i = 0; i < 3; i += 1) await signIn(staff.email, 'not the password');
    await signIn(staff.email);
    const alert = await page.getByRole('alert').textContent();
    expect(alert).toMatch(/Too many failed sign-ins: this account is locked until \d\d:\d\d UTC/);
    expect(new URL(page.url()).pathname).toBe('/admin/login');
    await shot(page, 'locked');
  });

  it('a viewer sees a mailbox but no action buttons, and the API refuses the action', async () => {
    const mailbox = await buildMailbox(t.db.prisma, {
      workspaceId: 'ws-browser',
      email: 'viewer.case@contoso.test',
    });
    const viewer = await buildStaff(t.db.prisma, { role: 'viewer' });
    await signIn(viewer.email);
    await page.getByTestId('console-dashboard').waitFor();
    await page.goto(`${t.baseUrl}/admin/resources/mailboxes/records/${mailbox.id}/show`);
    await page.getByText('viewer.case@contoso.test').waitFor();
    await expect(page.getByTestId('action-disconnect').count()).resolves.toBe(0);
    await expect(page.getByTestId('action-refreshIdentities').count()).resolves.toBe(0);
    // Even the request the button would make is refused for a viewer.
    const notice = await page.evaluate(async (id) => {
      const { cookie } = (globalThis as unknown as { document: { cookie: string } }).document;
      const xsrf = /XSRF-TOKEN=([^;]+)/.exec(cookie)?.[1] ?? '';
      const res = await fetch(`/admin/api/resources/mailboxes/records/${id}/disconnect`, {
        headers: { 'x-xsrf-token': xsrf },
      });
      return ((await res.json()) as { notice: { type: string } }).notice;
    }, mailbox.id);
    expect(notice.type).toBe('error');
    await shot(page, 'viewer-mailbox');
    const row = await t.db.prisma.mailbox.findUniqueOrThrow({ where: { id: mailbox.id } });
    expect(row.disconnectedAt).toBeNull();
  });

  it('an operator disconnects a mailbox and the audit log shows who did it', async () => {
    const mailbox = await buildMailbox(t.db.prisma, {
      workspaceId: 'ws-browser',
      email: 'disconnect.me@contoso.test',
    });
    const operator = await buildStaff(t.db.prisma, {
      role: 'operator',
      email: 'ann.operator@scendcore.test',
    });
    await signIn(operator.email);
    await page.getByTestId('console-dashboard').waitFor();
    await page.goto(`${t.baseUrl}/admin/resources/mailboxes/records/${mailbox.id}/show`);
    await page.getByTestId('action-disconnect').click();
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByText('Mailbox disconnected.').waitFor();
    await shot(page, 'operator-disconnected');
    const row = await t.db.prisma.mailbox.findUniqueOrThrow({ where: { id: mailbox.id } });
    expect(row.disconnectedAt).not.toBeNull();

    await page.goto(
      `${t.baseUrl}/admin/resources/audit_log?filters.action=mailbox.disconnected&filters.targetId=${mailbox.id}`,
    );
    const entry = page.locator('tr', { hasText: 'mailbox.disconnected' });
    await entry.waitFor();
    await expect(entry.textContent()).resolves.toContain('ann.operator@scendcore.test');
    await shot(page, 'audit-log');
  });

  it('the dashboard counts match the database, and each links to the list it counts', async () => {
    await seedTrouble();
    await signIn(ADMIN.email, ADMIN.password);
    await page.getByTestId('console-dashboard').waitFor();
    await page
      .getByTestId('dashboard-failed-24h')
      .getByTestId('count')
      .filter({ hasText: '2' })
      .waitFor();
    const shown = async (key: string) =>
      Number(await page.getByTestId(`dashboard-${key}`).getByTestId('count').textContent());
    const p = t.db.prisma;
    const dayAgo = new Date(Date.now() - 24 * 3600_000);
    const expected = {
      'mailboxes-reauth': await p.mailbox.count({
        where: { status: 'needs_reauth', disconnectedAt: null },
      }),
      'parked-events': await p.outboxEvent.count({ where: { status: 'parked' } }),
      'failed-24h': await p.outboundMessage.count({
        where: { status: 'failed', updatedAt: { gte: dayAgo } },
      }),
      queue: await p.outboundMessage.count({ where: { status: 'queued' } }),
      'suspended-workspaces': await p.workspace.count({ where: { status: 'suspended' } }),
      'suppressed-24h': await p.suppression.count({ where: { createdAt: { gte: dayAgo } } }),
      // Failing: not stopped, and an error newer than the last catch-up or an expired subscription.
      'failing-subscriptions': (
        await p.$queryRaw<{ n: number }[]>`
          SELECT count(*)::int AS n FROM inbound_subscription
           WHERE state <> 'stopped'
             AND ((last_error IS NOT NULL AND (last_error_at IS NULL OR last_catch_up_at IS NULL
                                               OR last_error_at >= last_catch_up_at))
               OR (state = 'active' AND mode = 'notifications'
                   AND graph_subscription_id IS NOT NULL AND expires_at < now()))`
      )[0].n,
    };
    expect(expected).toEqual({
      'mailboxes-reauth': 2,
      'parked-events': 1,
      'failed-24h': 2,
      queue: 3,
      'suspended-workspaces': 1,
      'suppressed-24h': 2,
      'failing-subscriptions': 2,
    });
    for (const [key, count] of Object.entries(expected))
      expect([key, await shown(key)]).toEqual([key, count]);
    await expect(
      page.getByTestId('dashboard-queue').getByTestId('detail').textContent(),
    ).resolves.toMatch(/^oldest queued 2 h \d+ min ago$/);
    await shot(page, 'dashboard');

    await page
      .getByTestId('dashboard-failed-24h')
      .getByText('Sends failed in the last 24 h')
      .click();
    await page.waitForURL(/outbound_messages/);
    await page.locator('tbody tr').first().waitFor();
    await expect(page.locator('tbody tr').count()).resolves.toBe(2);
    await shot(page, 'dashboard-failed-list');

    await page.goto(`${t.baseUrl}/admin`);
    await page
      .getByTestId('dashboard-failing-subscriptions')
      .getByText('Failing inbound subscriptions')
      .click();
    await page.waitForURL(/inbound_subscriptions\?filters\.failing=true/);
    await page.locator('tbody tr').first().waitFor();
    await expect(page.locator('tbody tr').count()).resolves.toBe(2);
    await expect(page.locator('tbody').textContent()).resolves.toContain('graph_503');
    await shot(page, 'dashboard-failing-subscriptions');

    await page.goto(`${t.baseUrl}/admin`);
    await page
      .getByTestId('dashboard-suppressed-24h')
      .getByText('Suppressed in the last 24 h')
      .click();
    await page.waitForURL(/suppressions\?filters\.createdAt/);
    await page.locator('tbody tr').first().waitFor();
    await expect(page.locator('tbody tr').count()).resolves.toBe(2);
    await expect(page.locator('tbody').textContent()).resolves.not.toContain('old@fabrikam.test');
    expect(pageErrors).toEqual([]);
  });

  it('lists the suppressions of every workspace, filters them, and an operator removes one', async () => {
    const operator = await buildStaff(t.db.prisma, { role: 'operator' });
    await signIn(operator.email);
    await page.getByTestId('console-dashboard').waitFor();
    await page.goto(`${t.baseUrl}/admin/resources/suppressions`);
    await page.getByText('bounced@fabrikam.test').waitFor();
    await expect(page.locator('tbody tr').count()).resolves.toBe(4);
    const table = await page.locator('tbody').textContent();
    for (const expected of ['Hard Bounce', 'Unsubscribe', 'Manual', 'ws-dash', 'ws-other'])
      expect(table).toContain(expected);
    await shot(page, 'suppressions');

    await page.goto(
      `${t.baseUrl}/admin/resources/suppressions?filters.reason=hard_bounce&filters.email=FABRIKAM`,
    );
    await page.getByText('bounced@fabrikam.test').waitFor();
    await expect(page.locator('tbody tr').count()).resolves.toBe(1);

    const row = await t.db.prisma.suppression.findFirstOrThrow({
      where: { email: 'optout@fabrikam.test' },
    });
    await page.goto(`${t.baseUrl}/admin/resources/suppressions/records/${row.id}/show`);
    await page.getByText('optout@fabrikam.test').first().waitFor();
    await shot(page, 'suppression-show');
    await page.getByTestId('action-removeSuppression').click();
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByText('Address removed from the suppression list').waitFor();
    await expect(t.db.prisma.suppression.count({ where: { id: row.id } })).resolves.toBe(0);
    const audit = await t.db.prisma.auditLog.findMany({
      where: { action: 'outbound.suppression_removed', targetId: row.id },
    });
    expect(audit.map((a) => [a.actorType, a.actorId])).toEqual([['staff', operator.id]]);
    expect(pageErrors).toEqual([]);
  });

  it('lists inbound messages with their decisions, filters them and shows one', async () => {
    const mailbox = await buildMailbox(t.db.prisma, {
      workspaceId: 'ws-inbound',
      email: 'sales.inbox@contoso.test',
    });
    const base = { mailboxId: mailbox.id, workspaceId: 'ws-inbound' };
    const replied = await buildInboundMessage(t.db.prisma, {
      ...base,
      subject: 'Pricing for 40 seats?',
      fromAddress: 'buyer@fabrikam.test',
      category: 'question',
      intent: 'pricing_question',
      confidence: 0.87,
      summary: 'Asks for pricing for 40 seats.',
      action: 'replied',
      reason: 'answered',
      replyBookedAt: new Date(Date.now() - 60_000),
      replySentAt: new Date(),
    });
    await buildInboundMessage(t.db.prisma, { ...base, subject: 'Demo next week' });
    await buildInboundMessage(t.db.prisma, {
      ...base,
      subject: 'Automatic reply: out of office',
      category: 'out_of_office',
      action: 'skipped',
      reason: 'auto_reply',
    });
    await signIn(ADMIN.email, ADMIN.password);
    await page.getByTestId('console-dashboard').waitFor();
    await page.goto(`${t.baseUrl}/admin/resources/inbound_messages`);
    await page.getByText('Pricing for 40 seats?').waitFor();
    await expect(page.locator('tbody tr').count()).resolves.toBe(3);
    await expect(page.locator('tbody').textContent()).resolves.toContain(
      'sales.inbox@contoso.test',
    );
    await shot(page, 'inbound-messages');

    await page.goto(
      `${t.baseUrl}/admin/resources/inbound_messages?filters.mailboxId=${mailbox.id}&filters.action=replied`,
    );
    await page.getByText('Pricing for 40 seats?').waitFor();
    await expect(page.locator('tbody tr').count()).resolves.toBe(1);

    await page.goto(`${t.baseUrl}/admin/resources/inbound_messages/records/${replied.id}/show`);
    await page.getByText('Asks for pricing for 40 seats.').waitFor();
    const text = await page.locator('main, body').first().textContent();
    for (const expected of ['pricing_question', '0.87', 'answered', 'sent', 'rules'])
      expect(text).toContain(expected);
    await expect(page.getByTestId('action-edit').count()).resolves.toBe(0);
    await expect(page.getByTestId('action-delete').count()).resolves.toBe(0);
    await shot(page, 'inbound-message-show');
    expect(pageErrors).toEqual([]);
  });

  it('the guard rails: cards for drafts awaiting review and escalations link to their lists; the AI replies list and a mailbox’s reply policy', async () => {
    const mailbox = await buildMailbox(t.db.prisma, {
      workspaceId: 'ws-guard',
      email: 'support.desk@contoso.test',
      inboundEnabled: true,
    });
    await t.db.prisma.inboundReplyPolicy.create({
      data: {
        mailboxId: mailbox.id,
        workspaceId: 'ws-guard',
        replyMode: 'review',
        dailyReplyCap: 25,
        escalationTopics: [
          { topic: 'refund', phrases: ['refund', 'money back'] },
          { topic: 'legal', phrases: ['lawyer'] },
        ],
        businessHours: {
          timeZone: 'Europe/Berlin',
          days: [1, 2, 3, 4, 5],
          start: '09:00',
          end: '17:00',
        },
      },
    });
    const base = { mailboxId: mailbox.id, workspaceId: 'ws-guard' };
    const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000);
    const reply = (subject: string, mode: string, status: string, more = {}) =>
      buildInboundMessage(t.db.prisma, {
        ...base,
        subject,
        category: 'question',
        stage: status === 'awaiting_review' ? 'awaiting_review' : 'done',
        action: null,
        replyMarker: randomUUID(),
        replyMode: mode,
        replyStatus: status,
        replyBookedAt: hoursAgo(1),
        ...more,
      });
    await reply('Cannot log in', 'review', 'awaiting_review', { createdAt: hoursAgo(3) });
    await reply('Where is my invoice PDF?', 'review', 'awaiting_review');
    await reply('Password reset link expired', 'delayed', 'scheduled', {
      stage: 'replying',
      nextAttemptAt: new Date(Date.now() + 4 * 60_000),
    });
    await reply('Thanks for the quick answer', 'send', 'sent', {
      action: 'replied',
      replySentAt: hoursAgo(2),
    });
    await reply('Do you integrate with HubSpot?', 'review', 'discarded', { action: 'discarded' });
    for (const [subject, topic, processedAt] of [
      ['I want a refund for March', 'refund', hoursAgo(1)],
      ['Our lawyer will contact you', 'legal', hoursAgo(5)],
      ['Refund again?', 'refund', hoursAgo(40)],
    ] as const) {
      await buildInboundMessage(t.db.prisma, {
        ...base,
        subject,
        category: 'question',
        action: 'escalated',
        reason: `escalated:${topic}`,
        escalationTopic: topic,
        processedAt,
      });
    }
    const p = t.db.prisma;
    const awaiting = await p.inboundMessage.count({
      where: { replyMarker: { not: null }, replyStatus: 'awaiting_review' },
    });
    const escalated = await p.inboundMessage.count({
      where: { action: 'escalated', processedAt: { gte: hoursAgo(24) } },
    });
    expect([awaiting, escalated]).toEqual([2, 2]);

    await signIn(ADMIN.email, ADMIN.password);
    await page.getByTestId('console-dashboard').waitFor();
    const card = (key: string) => page.getByTestId(`dashboard-${key}`);
    await card('ai-replies-awaiting-review')
      .getByTestId('count')
      .filter({ hasText: '2' })
      .waitFor();
    await expect(card('escalated-24h').getByTestId('count').textContent()).resolves.toBe('2');
    await expect(
      card('ai-replies-awaiting-review').getByTestId('detail').textContent(),
    ).resolves.toMatch(/^oldest waiting 3 h \d+ min$/);
    await shot(page, 'dashboard-guard-rails');

    await card('ai-replies-awaiting-review').getByText('AI replies awaiting review').click();
    await page.waitForURL(/ai_replies\?filters\.status=awaiting_review/);
    await page.getByText('Cannot log in').waitFor();
    await expect(page.locator('tbody tr').count()).resolves.toBe(2);
    await shot(page, 'ai-replies-awaiting-review');
    await page.getByText('Cannot log in').click();
    await page.waitForURL(/ai_replies\/records\/[^/]+\/show/);
    await page.getByTestId('action-discardDraft').waitFor();
    await expect(page.getByTestId('action-cancelReply').count()).resolves.toBe(0);
    await expect(page.getByText(/approve/i).count()).resolves.toBe(0);
    await shot(page, 'ai-reply-show');

    await page.goto(`${t.baseUrl}/admin`);
    await card('escalated-24h').getByText('Escalated in the last 24 h').click();
    await page.waitForURL(/inbound_messages\?filters\.action=escalated/);
    await page.getByText('I want a refund for March').waitFor();
    await expect(page.locator('tbody tr').count()).resolves.toBe(2);
    const escalations = await page.locator('tbody').textContent();
    expect(escalations).toContain('legal');
    expect(escalations).not.toContain('Refund again?');
    await shot(page, 'escalated-24h');

    await page.goto(`${t.baseUrl}/admin/resources/ai_replies?filters.mailboxId=${mailbox.id}`);
    await page.getByText('Password reset link expired').waitFor();
    await expect(page.locator('tbody tr').count()).resolves.toBe(5);
    const table = await page.locator('tbody').textContent();
    for (const expected of ['Awaiting Review', 'Scheduled', 'Sent', 'Discarded', 'Delayed'])
      expect(table).toContain(expected);
    await shot(page, 'ai-replies');

    await page.goto(`${t.baseUrl}/admin/resources/mailboxes/records/${mailbox.id}/show`);
    await page.getByText('Mon–Fri 09:00–17:00 Europe/Berlin').waitFor();
    const shown = await page.locator('main, body').first().textContent();
    for (const expected of [
      'set for this mailbox',
      'refund (refund, money back); legal (lawyer)',
      '25',
    ])
      expect(shown).toContain(expected);
    // The page scrolls inside AdminJS's layout: bring the policy into the screenshot.
    await page.getByText('AI reply policy', { exact: true }).scrollIntoViewIfNeeded();
    await shot(page, 'mailbox-reply-policy');
    expect(pageErrors).toEqual([]);
  });

  async function seedTrouble(): Promise<void> {
    const p = t.db.prisma;
    await p.workspace.create({ data: { id: 'ws-suspended', status: 'suspended' } });
    for (const email of ['reauth-1@contoso.test', 'reauth-2@contoso.test']) {
      await buildMailbox(p, {
        workspaceId: 'ws-dash',
        email,
        status: 'needs_reauth',
        statusReason: 'invalid_grant',
      });
    }
    await buildMailbox(p, {
      workspaceId: 'ws-dash',
      email: 'gone@contoso.test',
      status: 'needs_reauth',
      disconnectedAt: new Date(),
    });
    const subscriptions = [
      { lastError: 'graph_503', lastErrorAt: new Date() },
      { expiresAt: new Date(Date.now() - 3600_000) },
      {},
      { state: 'stopped' as const, lastError: 'graph_503', lastErrorAt: new Date() },
    ];
    for (const [i, overrides] of subscriptions.entries()) {
      const mailbox = await buildMailbox(p, {
        workspaceId: 'ws-dash',
        email: `inbound-${i}@contoso.test`,
      });
      await buildInboundSubscription(p, {
        mailboxId: mailbox.id,
        workspaceId: 'ws-dash',
        ...overrides,
      });
    }
    await p.outboxEvent.create({
      data: { name: 'mailbox.connected', payload: {}, status: 'parked', attempts: 10 },
    });
    const suppressions = [
      {
        workspaceId: 'ws-dash',
        email: 'bounced@fabrikam.test',
        reason: 'hard_bounce',
        hoursAgo: 1,
      },
      {
        workspaceId: 'ws-other',
        email: 'optout@fabrikam.test',
        reason: 'unsubscribe',
        hoursAgo: 2,
      },
      { workspaceId: 'ws-dash', email: 'old@fabrikam.test', reason: 'manual', hoursAgo: 30 },
      { workspaceId: 'ws-dash', email: 'older@fabrikam.test', reason: 'manual', hoursAgo: 50 },
    ] as const;
    for (const { hoursAgo: age, ...row } of suppressions) {
      await p.suppression.create({
        data: {
          id: randomUUID(),
          source: row.reason === 'manual' ? 'api' : `inbound:${randomUUID()}`,
          ...row,
          createdAt: new Date(Date.now() - age * 3600_000),
        },
      });
    }
    const profile = await p.senderProfile.create({
      data: { id: randomUUID(), workspaceId: 'ws-dash', name: 'Dash', fromName: 'Dash' },
    });
    const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000);
    const messages = [
      { status: 'failed', updatedAt: hoursAgo(1) },
      { status: 'failed', updatedAt: hoursAgo(5) },
      { status: 'failed', updatedAt: hoursAgo(30) },
      { status: 'queued', createdAt: hoursAgo(2) },
      { status: 'queued', createdAt: hoursAgo(1) },
      { status: 'queued' },
      { status: 'sent' },
    ] as const;
    for (const [i, m] of messages.entries()) {
      const row = await p.outboundMessage.create({
        data: {
          id: randomUUID(),
          workspaceId: 'ws-dash',
          senderProfileId: profile.id,
          toRecipients: [{ email: `lead-${i}@example.com` }],
          recipientCount: 1,
          subject: `Dashboard ${i}`,
          requestHash: randomUUID(),
          marker: randomUUID(),
          status: m.status,
          nextAttemptAt: new Date(Date.now() + 3600_000),
          ...('createdAt' in m ? { createdAt: m.createdAt } : {}),
        },
      });
      // @updatedAt is set by Prisma on every write: age the failed ones afterwards.
      if ('updatedAt' in m) {
        await p.$executeRaw`UPDATE outbound_message SET updated_at = ${m.updatedAt} WHERE id = ${row.id}`;
      }
    }
  }
});
