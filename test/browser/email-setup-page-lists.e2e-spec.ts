import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { ADELE } from '../../src/sandbox/seed.js';
import type { Browser } from '../support/browser.js';
import {
  DESKTOP,
  PHONE,
  createEmailSetupApp,
  expectAccessible,
  focusedId,
  openEmailSetupPage,
  reloadPage,
  shot,
  shotSpan,
} from '../support/email-setup-page.js';
import { call, type SandboxApp } from '../support/sandbox-app.js';
import { assign, connectMailbox, createProfile } from '../support/sending.js';

interface Message {
  id: string;
  subject: string;
  status: string;
  errorCode: string | null;
  conversationId: string | null;
}

/**
 * The Email Setup page's Suppression list and Recent messages sections in Chromium, on the
 * public REST API (`/v1/suppressions`, `/v1/messages`), with the background jobs running.
 */
describe('Email Setup page: suppression list and recent messages', () => {
  let t: SandboxApp;
  let browser: Browser;
  let page: Page;
  let token = '';
  let profileId = '';
  const problems: string[] = [];

  beforeAll(async () => {
    t = await createEmailSetupApp({
      FRONTEND_URL: '',
      OUTBOUND_DISPATCH_INTERVAL_MS: '200',
      OUTBOX_RELAY_INTERVAL_MS: '300',
      OUTBOUND_SENT_ITEMS_SETTLE_MS: '500',
      OUTBOUND_SENT_DETAILS_INTERVAL_MS: '200',
      OUTBOUND_SENT_DETAILS_RETRY_MS: '200',
    });
    ({ browser, page, token } = await openEmailSetupPage(t, problems));
    const adele = await connectMailbox(t, token, ADELE.id);
    profileId = await createProfile(t, token);
    await assign(t, token, adele.primaryIdentityId, profileId);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const api = (method: string, path: string, body?: unknown) =>
    call(t, method, path, { token, body });
  const section = (id: string) => page.locator(`#${id}`);
  const suppressions = () => section('suppressions');
  const messages = () => section('messages');
  const listed = async () =>
    (await api('GET', '/v1/suppressions?limit=100')).json<{ items: { email: string }[] }>().items;

  it('the suppression list starts empty; an address that is not one gets a clear error beside the field', async () => {
    await expect(suppressions().textContent()).resolves.toContain('No address is suppressed.');
    await suppressions().getByText('+ Add an address').click();
    const email = suppressions().getByLabel('Email address');
    await email.fill('not-an-email');
    await suppressions().getByRole('button', { name: 'Add to suppression list' }).click();
    const error = suppressions().locator('#suppression-email-error');
    await expect(error.textContent()).resolves.toBe(
      '“not-an-email” is not an email address. Enter one like name@example.com.',
    );
    await expect(email.getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(email.getAttribute('aria-describedby')).resolves.toContain(
      'suppression-email-error',
    );
    await expect(focusedId(page)).resolves.toBe('suppression-email');

    // Looks like an address to the browser; the service refuses it (400) and says why.
    await email.fill('ann..lee@example.com');
    await suppressions().getByRole('button', { name: 'Add to suppression list' }).click();
    await error.filter({ hasText: 'Not added:' }).waitFor();
    await expect(error.textContent()).resolves.toBe(
      'Not added: “ann..lee@example.com” was not accepted as an email address (email must be an email address). Check it for typos.',
    );
    await expect(focusedId(page)).resolves.toBe('suppression-email');
    expect(await listed()).toEqual([]);
    // The only request that failed is the refused address (the browser logs it).
    expect(problems).toEqual([expect.stringMatching(/status of 400 .*\/v1\/suppressions$/)]);
    problems.length = 0;
    await suppressions().screenshot({ path: shot('lists-01-suppression-invalid') });
    await expectAccessible(page);
  });

  it('adds an address with a note; adding it again says it was already there', async () => {
    await suppressions().getByLabel('Email address').fill('Opt.Out@Example.com');
    await suppressions().getByLabel('Note (optional)').fill('Asked by phone');
    await suppressions().getByRole('button', { name: 'Add to suppression list' }).click();
    const status = suppressions().locator('#suppressions-status');
    await status.filter({ hasText: 'Added opt.out@example.com.' }).waitFor();
    await expect(focusedId(page)).resolves.toBe('suppressions-status');
    const row = suppressions().locator('tbody tr', { hasText: 'opt.out@example.com' });
    await expect(row.textContent()).resolves.toMatch(/Added by hand.*Note: Asked by phone/);
    expect((await listed()).map((s) => s.email)).toEqual(['opt.out@example.com']);

    await suppressions().getByText('+ Add an address').click();
    await suppressions().getByLabel('Email address').fill('opt.out@example.com');
    await suppressions().getByRole('button', { name: 'Add to suppression list' }).click();
    await status.filter({ hasText: 'opt.out@example.com was already on the list' }).waitFor();
    expect(await listed()).toHaveLength(1);
  });

  it('a long list pages with Load more; every address shows its reason and when it was added', async () => {
    for (let i = 0; i < 27; i += 1) {
      const res = await api('POST', '/v1/suppressions', { email: `bulk-${i}@example.com` });
      expect(res.status).toBe(201);
    }
    await reloadPage(page);
    const rows = suppressions().locator('tbody tr');
    await expect(rows.count()).resolves.toBe(25);
    await suppressions().getByRole('button', { name: 'Load more addresses' }).click();
    await rows.nth(27).waitFor();
    await expect(rows.count()).resolves.toBe(28);
    await expect(
      suppressions().getByRole('button', { name: 'Load more addresses' }).count(),
    ).resolves.toBe(0);
    const emails = await suppressions().locator('tbody tr strong').allTextContents();
    expect(new Set(emails).size).toBe(28);
    await expect(focusedId(page)).resolves.toMatch(/^suppression-[0-9a-f-]{36}$/);
    await expect(rows.first().textContent()).resolves.toMatch(/Added by hand.*\d/);
  });

  it('Remove asks first: Cancel keeps the address, Remove takes it off the list', async () => {
    const remove = suppressions().getByRole('button', {
      name: 'Remove opt.out@example.com from the suppression list',
    });
    const dialog = page.getByRole('dialog', {
      name: 'Remove opt.out@example.com from the suppression list?',
    });
    await remove.click();
    await dialog.waitFor();
    await expect(dialog.textContent()).resolves.toContain('may write to this address again');
    await page.screenshot({ path: shot('lists-02-suppression-remove-confirm') });
    await expectAccessible(page);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect((await listed()).map((s) => s.email)).toContain('opt.out@example.com');

    await remove.click();
    await dialog.getByRole('button', { name: 'Remove' }).click();
    await suppressions()
      .locator('#suppressions-status', { hasText: 'Removed opt.out@example.com.' })
      .waitFor();
    expect((await listed()).map((s) => s.email)).not.toContain('opt.out@example.com');
    await expect(
      suppressions().locator('tbody tr', { hasText: 'opt.out@example.com' }).count(),
    ).resolves.toBe(0);
  });

  async function until<T>(
    what: string,
    get: () => Promise<T>,
    done: (v: T) => boolean,
  ): Promise<T> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const value = await get();
      if (done(value)) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await page.waitForTimeout(200);
    }
  }
  const allMessages = async () =>
    (await api('GET', '/v1/messages?limit=100')).json<{ items: Message[] }>().items;

  it('Recent messages: recipients, sender, status and conversation id; Load more pages with the cursor', async () => {
    await api('POST', '/v1/suppressions', { email: 'gone@example.com' });
    for (let i = 0; i < 11; i += 1) {
      const res = await api('POST', '/v1/messages', {
        senderProfileId: profileId,
        to: [`lead-${i}@example.com`],
        subject: `Hello ${i}`,
        text: 'Hi',
      });
      expect(res.status).toBe(202);
    }
    const mixed = await api('POST', '/v1/messages', {
      senderProfileId: profileId,
      to: ['ann@example.com', 'gone@example.com'],
      cc: ['cc@example.com'],
      subject: 'With a suppressed recipient',
      text: 'Hi',
    });
    expect(mixed.status).toBe(202);
    const sent = await until('every message sent with its ids', allMessages, (items) =>
      items.every((m) => m.status === 'sent' && m.conversationId !== null),
    );
    expect(sent).toHaveLength(12);

    await reloadPage(page);
    const rows = messages().locator('tbody tr');
    await expect(rows.count()).resolves.toBe(10);
    const first = messages().locator('tbody tr', { hasText: 'With a suppressed recipient' });
    const text = (await first.textContent()) ?? '';
    expect(text).toContain('ann@example.com');
    expect(text).toContain('Cc: cc@example.com');
    expect(text).toContain('Left out (suppressed): gone@example.com (Added by hand)');
    expect(text).toContain(ADELE.mail);
    expect(text).toContain('Sent');
    const mixedId = mixed.json<Message>().id;
    const conversation = sent.find((m) => m.id === mixedId)?.conversationId as string;
    await expect(first.locator('code.id').textContent()).resolves.toBe(conversation);

    await messages().getByRole('button', { name: 'Load more messages' }).click();
    await rows.nth(11).waitFor();
    await expect(rows.count()).resolves.toBe(12);
    await expect(
      messages().getByRole('button', { name: 'Load more messages' }).count(),
    ).resolves.toBe(0);
    await expect(messages().locator('#messages-status-line').textContent()).resolves.toBe(
      '2 more loaded (12 messages shown).',
    );
    const subjects = await messages().locator('tbody tr strong').allTextContents();
    expect(subjects).toEqual(sent.map((m) => m.subject));
    await shotSpan(page, messages(), messages(), 'lists-03-recent-messages');
    await expectAccessible(page);
  }, 60_000);

  it('a message that waits shows why and when it is tried again; the status filter narrows the list', async () => {
    const fault = t.emulator.control.addFault({
      method: 'POST',
      path: '/v1.0/me/sendMail',
      response: {
        status: 503,
        body: { error: { code: 'ServiceUnavailable', message: 'Try later' } },
      },
    });
    try {
      const res = await api('POST', '/v1/messages', {
        senderProfileId: profileId,
        to: ['later@example.com'],
        subject: 'Waits for Microsoft',
        text: 'Hi',
      });
      const { id } = res.json<Message>();
      await until(
        'the message to wait with a reason',
        async () => (await api('GET', `/v1/messages/${id}`)).json<Message>(),
        (m) => m.status === 'queued' && m.errorCode !== null,
      );
      await messages().getByRole('button', { name: 'Reload messages' }).click();
      const row = messages().locator('tbody tr', { hasText: 'Waits for Microsoft' });
      await expect(row.textContent()).resolves.toMatch(
        /Queued.*Waiting: Microsoft answered 503 ServiceUnavailable\. Next try/,
      );
      await expect(row.textContent()).resolves.toContain('Known once sent');

      await messages().getByLabel('Show').selectOption('queued');
      await messages()
        .locator('#messages-status-line', {
          hasText: 'Queued (waiting to go out): 1 message shown.',
        })
        .waitFor();
      await expect(messages().locator('tbody tr').count()).resolves.toBe(1);
      await shotSpan(page, messages(), messages(), 'lists-04-waiting-filtered');
      await expectAccessible(page);
      await messages().getByLabel('Show').selectOption('');
      await messages().locator('#messages-status-line', { hasText: 'All messages:' }).waitFor();
    } finally {
      t.emulator.control.removeFault(fault.id);
    }
  });

  it('on a phone: both sections stack into one column, nothing cut off', async () => {
    await page.setViewportSize(PHONE);
    const overflow = await page.evaluate(() => {
      const root = (
        globalThis as unknown as {
          document: { documentElement: { scrollWidth: number; clientWidth: number } };
        }
      ).document.documentElement;
      return root.scrollWidth - root.clientWidth;
    });
    expect(overflow).toBeLessThanOrEqual(0);
    const firstRow = messages().locator('tbody tr').first();
    await firstRow.scrollIntoViewIfNeeded();
    await firstRow.screenshot({ path: shot('lists-05-phone-message') });
    const box = await firstRow.boundingBox();
    expect(box && box.x + box.width).toBeLessThanOrEqual(PHONE.width);
    await suppressions()
      .locator('tbody tr')
      .first()
      .screenshot({
        path: shot('lists-06-phone-suppression'),
      });
    await expectAccessible(page);
    await page.setViewportSize(DESKTOP);
    expect(problems).toEqual([]);
  });
});
