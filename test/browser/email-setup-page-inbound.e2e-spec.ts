import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { randomUUID } from 'node:crypto';
import { ADELE } from '../../src/sandbox/seed.js';
import type { Browser } from '../support/browser.js';
import {
  PHONE,
  createEmailSetupApp,
  expectAccessible,
  focusedId,
  openEmailSetupPage,
  reloadPage,
  shot,
} from '../support/email-setup-page.js';
import { runInbound } from '../support/inbound.js';
import { call, type SandboxApp } from '../support/sandbox-app.js';
import { connectMailbox } from '../support/sending.js';

interface Policy {
  source: string;
  replyMode: string;
  undoWindowSeconds: number;
  dailyReplyCap: number;
  confidenceFloor: number;
  escalationTopics: { topic: string; phrases: string[] }[];
  businessHours: unknown;
}

/**
 * The Email Setup page's AI reply guard rails, Replies awaiting review, Scheduled replies and
 * Escalated to a person in Chromium, on the public REST API, with the background jobs running
 * and mail delivered through the emulator's control API.
 */
describe('Email Setup page: AI replies awaiting review, scheduled and escalated', () => {
  let t: SandboxApp;
  let browser: Browser;
  let page: Page;
  let token = '';
  let mailboxId = '';
  const problems: string[] = [];

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
    ({ browser, page, token } = await openEmailSetupPage(t, problems));
    mailboxId = (await connectMailbox(t, token, ADELE.id)).mailboxId;
    await reloadPage(page);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const api = (method: string, path: string, body?: unknown) =>
    call(t, method, path, { token, body });
  const policy = async () =>
    (await api('GET', `/v1/inbound/mailboxes/${mailboxId}/reply-policy`)).json<Policy>();
  const card = () => page.getByRole('article', { name: ADELE.mail });
  const inbound = () => card().getByRole('group', { name: 'Inbound AI' });
  const replies = () => page.locator('#replies');
  const escalations = () => page.locator('#escalations');
  const sendsTo = (address: string) =>
    t.emulator.control.graph
      .sentMail({ mailbox: ADELE.mail })
      .filter((s) => s.operation === 'send' && s.toRecipients.some((r) => r.address === address));
  const deliver = (who: string, subject: string, body: string) =>
    t.emulator.control.graph.injectInbound({
      mailbox: ADELE.mail,
      from: { address: `${who}@customer.example`, name: who },
      subject: `${subject} ${randomUUID().slice(0, 6)}`,
      body,
    });
  const question = (who: string) =>
    deliver(
      who,
      'Login problem',
      'Hello, I cannot log in since this morning: the page shows an error. Can you help?',
    );

  /** Runs the inbound work now and presses `reload` until `target` shows. */
  async function until(target: ReturnType<Page['locator']>, reload: () => Promise<void>) {
    for (let i = 0; i < 40 && !(await target.count()); i += 1) {
      await runInbound(t);
      await reload();
      if (!(await target.count())) await page.waitForTimeout(300);
    }
    await target.first().waitFor({ timeout: 1000 });
  }
  const reloadReplies = () => replies().getByRole('button', { name: 'Reload replies' }).click();
  const draftFor = (who: string) =>
    replies()
      .getByRole('article')
      .filter({ hasText: `${who}@customer.example` });

  it('Inbound AI settings explain each guard rail; API validation errors show beside their field', async () => {
    await card().getByText('Inbound AI: Off').click();
    // A mailbox never enabled shows Review first: the API reports what enabling gives.
    await expect(policy()).resolves.toMatchObject({ source: 'default', replyMode: 'review' });
    await expect(inbound().getByLabel('Review first').isChecked()).resolves.toBe(true);
    await expect(inbound().locator('[data-policy-source="default"]').textContent()).resolves.toBe(
      'Not saved yet: turning Inbound AI on starts with these settings (Review first).',
    );
    await expect(inbound().textContent()).resolves.toContain(
      'AI replies wait as drafts under Replies awaiting review',
    );
    await expect(inbound().getByLabel('Daily AI-reply cap').inputValue()).resolves.toBe('50');
    const topicNames = await inbound()
      .locator('.topic input[type="text"]')
      .evaluateAll((nodes) => nodes.map((n) => (n as unknown as { value: string }).value));
    expect(topicNames).toEqual(expect.arrayContaining(['pricing', 'refund', 'talk_to_a_human']));

    await inbound().getByLabel('Inbound AI', { exact: true }).check();
    await inbound().getByLabel('Mailbox Purpose').selectOption('support');
    await inbound().getByLabel('AI Behavior').selectOption('full_auto');
    await inbound().getByLabel('Reply only during business hours').check();
    await inbound().getByLabel('Starts at').fill('17:00');
    await inbound().getByLabel('Ends at').fill('09:00');
    await inbound().getByLabel('Time zone').fill('Mars/Olympus_Mons');
    await inbound().getByRole('button', { name: 'Save Inbound AI settings' }).click();

    const zoneError = inbound().locator('[id$="-businessHours-timeZone-error"]');
    await zoneError.filter({ hasText: 'Time zone must be an IANA' }).waitFor();
    await expect(
      inbound().locator('[id$="-businessHours-end-error"]').textContent(),
    ).resolves.toContain('Ends at must be later than start');
    const zone = inbound().getByLabel('Time zone');
    await expect(zone.getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(zone.getAttribute('aria-describedby')).resolves.toContain('timeZone-error');
    // Nothing saved; the form keeps what was typed.
    await expect(zone.inputValue()).resolves.toBe('Mars/Olympus_Mons');
    expect((await policy()).businessHours).toBeNull();
    const mailbox = (await api('GET', `/v1/mailboxes/${mailboxId}`)).json<{
      inbound: { enabled: boolean };
    }>();
    expect(mailbox.inbound.enabled).toBe(false);
    expect(problems).toEqual([expect.stringMatching(/status of 400/)]);
    problems.length = 0;
    await inbound().screenshot({ path: shot('inbound-01-validation') });
    await expectAccessible(page);
  });

  it('enables Review first with a topic of the team’s own; the policy says so', async () => {
    await inbound().getByLabel('Reply only during business hours').uncheck();
    await inbound()
      .getByText(/^Topics \(8\): pricing, refund, cancellation/)
      .click();
    await inbound().getByRole('button', { name: '+ Add a topic' }).click();
    await expect(focusedId(page)).resolves.toMatch(/-topics-8-name$/);
    await page.keyboard.type('Late Delivery');
    await inbound().locator('[id$="-topics-8-phrases"]').fill('late delivery, still not arrived');
    await inbound().getByRole('button', { name: 'Save Inbound AI settings' }).click();
    const topicError = inbound().locator('[id$="-escalationTopics-8-topic-error"]');
    await topicError.filter({ hasText: 'Topic name must be 1-40 of a-z, 0-9, _.' }).waitFor();
    await expect(focusedId(page)).resolves.toMatch(/-topics-8-name$/);
    expect(problems).toEqual([expect.stringMatching(/status of 400/)]);
    problems.length = 0;
    await inbound().locator('[id$="-topics-8-name"]').fill('late_delivery');
    await inbound().getByLabel('Daily AI-reply cap').fill('40');
    await inbound().getByRole('button', { name: 'Save Inbound AI settings' }).click();
    await card()
      .getByRole('status')
      .filter({ hasText: `Inbound AI is on for ${ADELE.mail}: Support, Full Auto, Review first.` })
      .waitFor();
    const saved = await policy();
    expect(saved).toMatchObject({
      source: 'stored',
      replyMode: 'review',
      dailyReplyCap: 40,
      businessHours: null,
    });
    await expect(inbound().locator('[data-policy-source]').count()).resolves.toBe(0);
    expect(saved.escalationTopics.at(-1)).toEqual({
      topic: 'late_delivery',
      phrases: ['late delivery', 'still not arrived'],
    });
    expect(saved.escalationTopics.map((x) => x.topic)).toContain('refund');
    await inbound()
      .getByText(/^Topics \(9\):.*late delivery$/)
      .waitFor();
  });

  it('a draft awaits review with the message it answers; Save edit and approve sends the edit once', async () => {
    const original = question('lee');
    const draft = draftFor('lee');
    const requested: string[] = [];
    const onRequest = (r: { url(): string }) => requested.push(r.url());
    page.on('request', onRequest);
    await until(draft, reloadReplies);
    page.off('request', onRequest);
    await expect(draft.textContent()).resolves.toContain(original.subject);
    await expect(draft.textContent()).resolves.toContain(`to ${ADELE.mail}`);
    // What they wrote (Graph's preview) and their message in Outlook, from the reply itself:
    // the page no longer loads 100 inbound messages to find it.
    await expect(draft.locator('.preview').textContent()).resolves.toBe(original.bodyPreview);
    expect(original.bodyPreview).toContain('I cannot log in since this morning');
    const open = draft.getByRole('link', { name: /^Open in Outlook/ });
    const href = await open.getAttribute('href');
    expect(href).toMatch(/^https:\/\/outlook\.office365\.com\/owa\/\?ItemID=/);
    expect(href).toContain(`ItemID=${encodeURIComponent(original.id)}&`);
    await expect(open.getAttribute('target')).resolves.toBe('_blank');
    await expect(open.getAttribute('rel')).resolves.toBe('noopener noreferrer');
    expect(requested.some((u) => u.includes('/v1/inbound/replies'))).toBe(true);
    expect(requested.filter((u) => u.includes('/v1/inbound/messages'))).toEqual([]);
    expect(sendsTo('lee@customer.example')).toEqual([]);
    const text = draft.getByLabel('Reply to lee@customer.example');
    await expect(text.inputValue()).resolves.not.toBe('');
    const approveAsIs = draft.getByRole('button', { name: 'Approve and send' });
    const approveEdit = draft.getByRole('button', { name: 'Save edit and approve' });
    await expect(approveEdit.isDisabled()).resolves.toBe(true);
    await text.fill('Hi Lee,\n\nSorry about that: we reset your login. Try again now?\n\nAdele');
    await expect(approveAsIs.isDisabled()).resolves.toBe(true);
    await expect(approveEdit.isEnabled()).resolves.toBe(true);
    await replies().screenshot({ path: shot('inbound-02-draft-edited') });
    await expectAccessible(page);

    await approveEdit.click();
    await replies().locator('#replies-status', { hasText: 'Approved with your edit' }).waitFor();
    await expect(focusedId(page)).resolves.toBe('replies-status');
    const decided = replies().locator('.decided li', { hasText: original.subject });
    await decided.filter({ hasText: 'Sent' }).waitFor({ timeout: 30_000 });
    const sent = sendsTo('lee@customer.example');
    expect(sent).toHaveLength(1);
    expect(sent[0].conversationId).toBe(original.conversationId);
    expect(sent[0].body.content).toContain('we reset your login');
    await expect(draftFor('lee').count()).resolves.toBe(0);
    await replies().screenshot({ path: shot('inbound-03-approved-sent') });
  });

  it('Discard asks first; confirmed, nothing is sent', async () => {
    question('kim');
    const draft = draftFor('kim');
    await until(draft, reloadReplies);
    const discard = draft.getByRole('button', { name: 'Discard' });
    const dialog = page.getByRole('dialog', { name: 'Discard the reply to kim@customer.example?' });
    await discard.click();
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(focusedId(page)).resolves.toMatch(/^reply-.*-discard$/);
    await discard.click();
    await page.screenshot({ path: shot('inbound-04-discard-confirm') });
    await dialog.getByRole('button', { name: 'Discard reply' }).click();
    await replies()
      .locator('#replies-status', {
        hasText: 'Discarded: nothing was sent to kim@customer.example.',
      })
      .waitFor();
    await expect(draftFor('kim').count()).resolves.toBe(0);
    await runInbound(t);
    expect(sendsTo('kim@customer.example')).toEqual([]);
  });

  it('a draft approved elsewhere first: 409 in words, the list refreshed', async () => {
    question('max');
    const draft = draftFor('max');
    await until(draft, reloadReplies);
    const id = (await draft.getAttribute('id'))!.replace(/^reply-/, '');
    expect((await api('POST', `/v1/inbound/replies/${id}/approve`, {})).status).toBe(200);
    await draft.getByRole('button', { name: 'Approve and send' }).click();
    const status = replies().locator('#replies-status');
    await status.filter({ hasText: 'it was already handled elsewhere' }).waitFor();
    await expect(status.textContent()).resolves.toMatch(
      /^The reply to max@customer\.example was not approved: it was already handled elsewhere \(now (approved|sending|sent)[^)]*\)\. The list is refreshed\.$/,
    );
    await expect(draftFor('max').count()).resolves.toBe(0);
    expect(problems).toEqual([expect.stringMatching(/status of 409/)]);
    problems.length = 0;
  });

  it('a refund request is escalated to a person with its topic, never answered', async () => {
    const refund = deliver(
      'ria',
      'Order 1042',
      'Hello, the parcel arrived broken. I would like a refund for this order, please.',
    );
    const row = escalations().locator('tr', { hasText: refund.subject });
    await until(row, () => escalations().getByRole('button', { name: 'Reload' }).click());
    await expect(row.textContent()).resolves.toContain('A refund');
    await expect(row.textContent()).resolves.toContain('ria@customer.example');
    // Their words and their own message in Outlook on the web (Graph's webLink).
    await expect(row.locator('.preview').textContent()).resolves.toBe(refund.bodyPreview);
    const open = row.getByRole('link', { name: /^Open in Outlook/ });
    await expect(open.count()).resolves.toBe(1);
    await expect(open.getAttribute('href')).resolves.toContain(
      `ItemID=${encodeURIComponent(refund.id)}&`,
    );
    await expect(draftFor('ria').count()).resolves.toBe(0);
    expect(sendsTo('ria@customer.example')).toEqual([]);
    // The mailbox's Recent inbound mail says the same in words.
    await card().getByText('Recent inbound mail').click();
    await card().getByRole('button', { name: 'Reload inbound mail' }).click();
    await card()
      .locator('tr', { hasText: refund.subject })
      .filter({ hasText: 'Escalated: A refund.' })
      .waitFor();
    await escalations().screenshot({ path: shot('inbound-05-escalated') });
    await expectAccessible(page);
  });

  it('Send after a delay: the reply waits with the time left and Cancel stops it', async () => {
    await inbound().getByLabel('Send after a delay').check();
    await inbound().getByLabel('Undo window').selectOption('3600');
    await inbound().getByRole('button', { name: 'Save Inbound AI settings' }).click();
    await card().getByRole('status').filter({ hasText: 'Send after a delay.' }).waitFor();
    expect(await policy()).toMatchObject({ replyMode: 'delayed', undoWindowSeconds: 3600 });

    const asked = question('pat');
    const scheduled = replies().locator('article', { hasText: 'pat@customer.example' });
    await until(scheduled, reloadReplies);
    await expect(scheduled.textContent()).resolves.toMatch(/Sends in (59 min|1 h 0 min)/);
    await expect(scheduled.textContent()).resolves.toContain(asked.subject);
    await expect(scheduled.locator('.preview').textContent()).resolves.toBe(asked.bodyPreview);
    await expect(
      scheduled.getByRole('link', { name: /^Open in Outlook/ }).getAttribute('href'),
    ).resolves.toContain(`ItemID=${encodeURIComponent(asked.id)}&`);
    await expectAccessible(page);
    await replies().screenshot({ path: shot('inbound-06-scheduled') });
    await scheduled.getByRole('button', { name: /^Cancel reply to pat@customer\.example/ }).click();
    await replies()
      .locator('#replies-status', {
        hasText: 'Cancelled: the reply to pat@customer.example will not be sent.',
      })
      .waitFor();
    await expect(
      replies().locator('article', { hasText: 'pat@customer.example' }).count(),
    ).resolves.toBe(0);
    const [reply] = (
      await api('GET', `/v1/inbound/replies?status=cancelled&mailboxId=${mailboxId}`)
    ).json<{ items: { to: string }[] }>().items;
    expect(reply.to).toBe('pat@customer.example');
    await runInbound(t);
    expect(sendsTo('pat@customer.example')).toEqual([]);

    // Cancelled elsewhere first: Cancel answers 409, said in words, and the list is refreshed.
    question('sam');
    const other = replies().locator('article', { hasText: 'sam@customer.example' });
    await until(other, reloadReplies);
    const id = (await other.getAttribute('id'))!.replace(/^reply-/, '');
    expect((await api('POST', `/v1/inbound/replies/${id}/cancel`)).status).toBe(200);
    await other.getByRole('button', { name: /^Cancel reply to sam@customer\.example/ }).click();
    await replies()
      .locator('#replies-status', {
        hasText:
          'The reply to sam@customer.example was not cancelled: it was already handled elsewhere (now cancelled). The list is refreshed.',
      })
      .waitFor();
    await expect(other.count()).resolves.toBe(0);
    expect(problems).toEqual([expect.stringMatching(/status of 409/)]);
    problems.length = 0;
  });

  it('on a 390 px phone: a draft, the settings and the escalations fit the screen and pass axe', async () => {
    await page.setViewportSize(PHONE);
    await card().locator('summary', { hasText: 'Recent inbound mail' }).click();
    await inbound()
      .getByText(/^Topics \(9\)/)
      .click();
    // Back to review so a draft is listed (drafts are written at any hour), with business hours.
    await inbound().getByLabel('Review first').check();
    await inbound().getByLabel('Reply only during business hours').check();
    await inbound().getByLabel('Saturday').check();
    await inbound().getByLabel('Starts at').fill('08:30');
    await inbound().getByLabel('Ends at').fill('18:00');
    await inbound().getByLabel('Time zone').fill('Europe/Berlin');
    await inbound().getByRole('button', { name: 'Save Inbound AI settings' }).click();
    await card().getByRole('status').filter({ hasText: 'Review first.' }).waitFor();
    expect(await policy()).toMatchObject({
      replyMode: 'review',
      businessHours: {
        timeZone: 'Europe/Berlin',
        days: [1, 2, 3, 4, 5, 6],
        start: '08:30',
        end: '18:00',
      },
    });
    await expect(inbound().getByLabel('Saturday').isChecked()).resolves.toBe(true);
    question('zoe');
    await until(draftFor('zoe'), reloadReplies);
    const overflow = await page.evaluate(() => {
      const d = (
        globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }
      ).document;
      return d.documentElement.scrollWidth;
    });
    expect(overflow).toBeLessThanOrEqual(PHONE.width);
    await replies().screenshot({ path: shot('inbound-07-phone-replies') });
    await inbound().screenshot({ path: shot('inbound-08-phone-settings') });
    await escalations().screenshot({ path: shot('inbound-09-phone-escalated') });
    await expectAccessible(page);
    expect(problems).toEqual([]);
  });
});
