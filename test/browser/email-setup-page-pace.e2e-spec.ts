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
} from '../support/email-setup-page.js';
import { call, type SandboxApp } from '../support/sandbox-app.js';
import { assign, connectMailbox, createProfile } from '../support/sending.js';

interface Message {
  id: string;
  status: string;
  waitingReason: string | null;
  expectedAt: string | null;
  isReply: boolean;
}

/**
 * The Email Setup page's sending pace in Chromium: the sender profile's pace editor, an
 * identity's own pace, and Recent messages saying why a message waits and when it should go —
 * on the public REST API with the dispatcher running.
 */
describe('Email Setup page: sending pace', () => {
  let t: SandboxApp;
  let browser: Browser;
  let page: Page;
  let token = '';
  let profileId = '';
  let identityId = '';
  const problems: string[] = [];

  beforeAll(async () => {
    t = await createEmailSetupApp({
      FRONTEND_URL: '',
      OUTBOUND_DISPATCH_INTERVAL_MS: '200',
      OUTBOX_RELAY_INTERVAL_MS: '300',
    });
    ({ browser, page, token } = await openEmailSetupPage(t, problems));
    const adele = await connectMailbox(t, token, ADELE.id);
    identityId = adele.primaryIdentityId;
    profileId = await createProfile(t, token);
    await assign(t, token, identityId, profileId);
    await reloadPage(page);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const api = (method: string, path: string, body?: unknown) =>
    call(t, method, path, { token, body });
  const profiles = () => page.locator('#profiles');
  const pace = () => page.locator(`#pace-${profileId}`);
  const storedPace = async () =>
    (await api('GET', `/v1/sender-profiles/${profileId}`)).json<{ pace: unknown }>().pace;
  const save = () => pace().getByRole('button', { name: 'Save sending pace' }).click();
  const refused = () => {
    // Each refused save is one 400 the browser logs; nothing else may fail.
    expect(problems.every((p) => /status of 400 .*\/v1\/sender-profiles\//.test(p))).toBe(true);
    problems.length = 0;
  };

  it('a new profile shows its pace is off; the editor explains each choice in one sentence', async () => {
    await expect(page.locator(`#pace-summary-${profileId}`).textContent()).resolves.toBe(
      'Pace: Off — only Microsoft’s own limits apply',
    );
    await page.locator(`#pace-${profileId}-summary`).click();
    await expect(pace().getByLabel('Off').isChecked()).resolves.toBe(true);
    await expect(
      pace().locator(`#pace-${profileId}-recommended-hint`).textContent(),
    ).resolves.toMatch(/^30 a day per address, 60–120 seconds apart/);
    await expect(pace().getByLabel('Daily cap').isVisible()).resolves.toBe(false);
    await pace().getByLabel('Custom').check();
    await expect(pace().getByLabel('Daily cap').inputValue()).resolves.toBe('30');
    await expectAccessible(page);
  });

  it('hostile values: each API error is shown beside its field, focused, and nothing is saved', async () => {
    const error = (path: string) => page.locator(`#pace-${profileId}-pace-${path}-error`);
    await pace().getByLabel('Custom').check();
    await pace().getByLabel('Daily cap').fill('0');
    await save();
    await error('dailyCap').filter({ hasText: 'Enter a whole number' }).waitFor();
    await expect(error('dailyCap').textContent()).resolves.toBe(
      'Enter a whole number from 1 to 10,000 (Exchange’s daily limit).',
    );
    await expect(pace().getByLabel('Daily cap').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(focusedId(page)).resolves.toBe(`pace-${profileId}-cap`);

    await pace().getByLabel('Daily cap').fill('twenty');
    await save();
    await error('dailyCap').filter({ hasText: 'Enter a whole number' }).waitFor();

    await pace().getByLabel('Daily cap').fill('25');
    await pace().getByLabel('At least').fill('300');
    await pace().getByLabel('At most').fill('10');
    await save();
    await error('gap').filter({ hasText: '“At least” no more than “At most”' }).waitFor();
    await expect(error('dailyCap').isHidden()).resolves.toBe(true);

    await pace().getByLabel('At least').fill('60');
    await pace().getByLabel('At most').fill('90');
    await pace().getByLabel('Send only in a window').check();
    await pace().getByLabel('Time zone').fill('Mars/Olympus_Mons');
    await save();
    await error('window').filter({ hasText: 'This time zone is not known' }).waitFor();

    await pace().getByLabel('Time zone').fill('UTC');
    await pace().getByLabel('First day').fill('-5');
    await save();
    await error('ramp').filter({ hasText: 'at least 1 on the first day' }).waitFor();
    await expect(pace().locator(`#pace-${profileId}-status`).textContent()).resolves.toBe(
      'Not saved: see the fields marked above.',
    );
    await expect(storedPace()).resolves.toBeNull();
    refused();
    await profiles().screenshot({ path: shot('pace-01-errors') });
    await expectAccessible(page);
  });

  it('a window closed now holds a test message: Recent messages says why and when it is expected', async () => {
    // A one-hour window in UTC at least eight hours away from now, every day.
    const hour = new Date().getUTCHours();
    const start = hour < 12 ? '20:00' : '02:00';
    const end = hour < 12 ? '21:00' : '03:00';
    await pace().getByLabel('First day').fill('5');
    await pace().getByLabel('More each day').fill('5');
    for (const day of ['Saturday', 'Sunday']) await pace().getByLabel(day).check();
    await pace().getByLabel('From', { exact: true }).fill(start);
    await pace().getByLabel('Until').fill(end);
    await save();
    await page.locator('#profiles-status').filter({ hasText: 'Saved the sending pace' }).waitFor();
    const expected = {
      dailyCap: 25,
      gap: { minSeconds: 60, maxSeconds: 90 },
      window: { days: [0, 1, 2, 3, 4, 5, 6], start, end, timeZone: 'UTC' },
      ramp: { start: 5, step: 5 },
    };
    await expect(storedPace()).resolves.toEqual(expected);
    await expect(page.locator(`#pace-summary-${profileId}`).textContent()).resolves.toBe(
      `Pace: 25 a day · 60–90 s apart · Mon–Sun ${start}–${end} (UTC) · ramp 5 +5 a day`,
    );

    await page.locator('#send').getByLabel('To').fill('prospect@example.com');
    await page.locator('#send').getByRole('button', { name: 'Send test message' }).click();
    const sendStatus = page.locator('#send-status');
    await sendStatus.filter({ hasText: 'Queued, not sent yet' }).waitFor({ timeout: 20_000 });
    const [message] = (await api('GET', '/v1/messages?limit=1')).json<{ items: Message[] }>().items;
    expect(message).toMatchObject({ status: 'queued', waitingReason: 'waiting_for_window' });
    expect(new Date(message.expectedAt as string).toISOString().slice(11, 16)).toBe(start);
    const when = await page.evaluate(
      (iso) =>
        new Date(iso).toLocaleString(undefined, {
          weekday: 'short',
          day: 'numeric',
          month: 'short',
          hour: '2-digit',
          minute: '2-digit',
          hourCycle: 'h23',
        }),
      message.expectedAt as string,
    );
    await expect(sendStatus.textContent()).resolves.toContain(
      `Waiting for the sending window — expected ${when}`,
    );
    await page.locator('#messages-reload').click();
    const row = page.locator(`#message-${message.id}`);
    await row.filter({ hasText: 'Waiting for the sending window' }).waitFor();
    await expect(row.locator('.waiting').textContent()).resolves.toBe(
      `Waiting for the sending window — expected ${when}.`,
    );
    expect(problems).toEqual([]);
  });

  it('a reply is marked as one and is not held by the pace', async () => {
    const res = await api('POST', '/v1/messages', {
      senderProfileId: profileId,
      to: [{ email: 'asked@example.com' }],
      subject: 'Re: your question',
      text: 'Here is the answer.',
      isReply: true,
    });
    expect(res.status).toBe(202);
    const id = res.json<{ id: string }>().id;
    for (let i = 0; i < 100; i += 1) {
      const m = (await api('GET', `/v1/messages/${id}`)).json<Message>();
      if (m.status === 'sent') break;
      await new Promise((r) => setTimeout(r, 200));
    }
    await page.locator('#messages-reload').click();
    const row = page.locator(`#message-${id}`);
    await row.filter({ hasText: 'Sent' }).waitFor();
    await expect(row.locator('.badge').first().textContent()).resolves.toBe('Reply');
    await page.locator('#messages').screenshot({ path: shot('pace-02-waiting') });
    await expectAccessible(page);
  });

  it('an identity sets its own cap, bad values are refused beside the field, and it can go back to the profile’s pace', async () => {
    const line = page.locator(`#identity-pace-${identityId}`);
    await expect(line.textContent()).resolves.toBe('Pace: as its sender profile');
    await page.locator(`#ipace-${identityId}-summary`).click();
    const form = page.locator(`#ipace-${identityId}`);
    await form.getByLabel('Daily cap').fill('20000');
    await form.getByRole('button', { name: 'Save pace' }).click();
    const error = page.locator(`#ipace-${identityId}-pace-dailyCap-error`);
    await error.filter({ hasText: 'Enter a whole number from 1 to 10,000' }).waitFor();
    const identity = async () =>
      (await api('GET', `/v1/mailboxes`))
        .json<{
          items: { identities: { id: string; pace: unknown }[] }[];
        }>()
        .items[0].identities.find((i) => i.id === identityId)?.pace;
    await expect(identity()).resolves.toBeNull();
    expect(problems.every((p) => /status of 400 .*\/v1\/identities\//.test(p))).toBe(true);
    problems.length = 0;

    await form.getByLabel('Daily cap').fill('10');
    await form.getByRole('button', { name: 'Save pace' }).click();
    await line.filter({ hasText: 'own' }).waitFor();
    await expect(line.textContent()).resolves.toBe('Pace: own: cap 10 a day');
    await expect(identity()).resolves.toEqual({ dailyCap: 10 });
    await page.locator(`#identity-${identityId}`).screenshot({ path: shot('pace-03-identity') });
    await expectAccessible(page);

    await form.getByRole('button', { name: 'Use the sender profile’s pace' }).click();
    await line.filter({ hasText: 'as its sender profile' }).waitFor();
    await expect(identity()).resolves.toBeNull();
    expect(problems).toEqual([]);
  });

  it('on a phone the pace editor, identity override and waiting reason stack and stay accessible', async () => {
    // The pace changes above woke the held message; the dispatcher holds it for the window again.
    // Each change's wake comes through the outbox relay, so a later wake can follow a re-hold:
    // the message read last is the one checked, once it is held for the window.
    const held = async () =>
      (await api('GET', '/v1/messages?status=queued&limit=1')).json<{ items: Message[] }>()
        .items[0];
    let message = await held();
    for (
      let i = 0;
      i < 100 && Date.parse(message.expectedAt ?? '') < Date.now() + 3600_000;
      i += 1
    ) {
      await new Promise((r) => setTimeout(r, 200));
      message = await held();
    }
    expect(message.waitingReason).toBe('waiting_for_window');
    expect(Date.parse(message.expectedAt ?? '')).toBeGreaterThan(Date.now() + 3600_000);
    await page.setViewportSize(PHONE);
    await reloadPage(page);
    await page.locator(`#pace-${profileId}-summary`).click();
    await page.locator(`#pace-${profileId}`).scrollIntoViewIfNeeded();
    // Nothing sticks out to the right (the page never scrolls sideways).
    const wide = await page.evaluate(`
      [...document.querySelectorAll('#profiles *, #mailboxes *, #messages *')]
        .filter((el) => !el.closest('thead, .visually-hidden'))
        .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth)
        .map((el) => el.tagName + '#' + el.id + '.' + el.className)
    `);
    expect(wide).toEqual([]);
    await page.locator('#profiles').screenshot({ path: shot('pace-04-phone-profile') });
    await page.locator(`#ipace-${identityId}-summary`).click();
    await page
      .locator(`#identity-${identityId}`)
      .screenshot({ path: shot('pace-06-phone-identity') });
    await page.locator('#messages').screenshot({ path: shot('pace-05-phone-messages') });
    await expectAccessible(page);
    expect(problems).toEqual([]);
  });

  it('Recommended saves the API’s recommended pace and stays chosen; Off turns it off', async () => {
    await page.setViewportSize(DESKTOP);
    await reloadPage(page);
    await page.locator(`#pace-${profileId}-summary`).click();
    await pace().getByLabel('Recommended for cold outreach').check();
    await save();
    await page.locator('#profiles-status').filter({ hasText: 'Saved the sending pace' }).waitFor();
    await expect(storedPace()).resolves.toEqual({
      dailyCap: 30,
      gap: { minSeconds: 60, maxSeconds: 120 },
      window: { days: [1, 2, 3, 4, 5], start: '08:00', end: '18:00', timeZone: null },
      ramp: { start: 5, step: 5 },
    });
    await reloadPage(page);
    await expect(page.locator(`#pace-summary-${profileId}`).textContent()).resolves.toBe(
      'Pace: 30 a day · 60–120 s apart · Mon–Fri 08:00–18:00 (mailbox time zone) · ramp 5 +5 a day',
    );
    await page.locator(`#pace-${profileId}-summary`).click();
    await expect(pace().getByLabel('Recommended for cold outreach').isChecked()).resolves.toBe(
      true,
    );
    await pace().getByLabel('Off').check();
    await save();
    await page.locator(`#pace-summary-${profileId}`).filter({ hasText: 'Off' }).waitFor();
    await expect(storedPace()).resolves.toBeNull();
    expect(problems).toEqual([]);
  });
});
