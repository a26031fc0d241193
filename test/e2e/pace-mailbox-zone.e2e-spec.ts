import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TestClock } from '../../src/common/time/clock.js';
import { ADELE } from '../../src/sandbox/seed.js';
import { adminConsentJourney } from '../factories/admin-consent.js';
import { call, createSandboxApp, type SandboxApp, sandboxToken } from '../support/sandbox-app.js';
import { assign, drain } from '../support/sending.js';

interface MailboxBody {
  id: string;
  email: string;
  identities: { id: string; type: string }[];
}

// Monday 2026-12-07 07:00 in Los Angeles (15:00 UTC).
const MONDAY_0700_LA = '2026-12-07T15:00:00.000Z';

describe("outreach window in the mailbox's own time zone (organization mailbox, e2e)", () => {
  let t: SandboxApp;
  let token: string;
  let adele: MailboxBody;
  const clock = new TestClock(MONDAY_0700_LA);

  beforeAll(async () => {
    t = await createSandboxApp({}, { clock });
    token = await sandboxToken(t, 'owner-1', 'ws-org-zone');
    await adminConsentJourney(t, token);
    const list = await call(t, 'GET', '/v1/mailboxes', { token });
    adele = list.json<{ items: MailboxBody[] }>().items.find((m) => m.email === ADELE.mail)!;
    // Exchange answers Windows zone names.
    t.emulator.control.setMailboxTimeZone(ADELE.mail, 'Pacific Standard Time');
  });
  afterAll(() => t.close());

  it('a window without a zone opens at 09:00 in the mailbox zone read from mailboxSettings', async () => {
    const profile = await call(t, 'POST', '/v1/sender-profiles', {
      token,
      body: {
        name: 'West coast',
        fromName: 'Adele',
        pace: {
          window: { days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' },
          gap: null,
          ramp: null,
        },
      },
    });
    expect(profile.status).toBe(201);
    const profileId = profile.json<{ id: string }>().id;
    const primary = adele.identities.find((i) => i.type === 'primary')!;
    await assign(t, token, primary.id, profileId);
    const since = new Date();
    const posted = await call(t, 'POST', '/v1/messages', {
      token,
      body: { senderProfileId: profileId, to: ['lead@example.com'], subject: 'Hi', text: 'Hello' },
    });
    const id = posted.json<{ id: string }>().id;
    await drain(t);
    // 15:00 UTC would be inside a UTC window; in Los Angeles it is 07:00.
    expect((await call(t, 'GET', `/v1/messages/${id}`, { token })).json()).toMatchObject({
      status: 'queued',
      waitingReason: 'waiting_for_window',
      expectedAt: '2026-12-07T17:00:00.000Z',
    });
    expect(
      await t.db.prisma.mailboxTimeZone.findUnique({ where: { mailboxId: adele.id } }),
    ).toMatchObject({ timeZone: 'America/Los_Angeles', source: 'mailbox_settings' });
    const reads = t.emulator.control.requestLog({ since, path: /mailboxSettings\/timeZone$/ });
    expect(reads.map((r) => `${r.tokenKind}|${r.status}`)).toEqual(['app|200']);

    clock.set('2026-12-07T17:00:00.000Z');
    await drain(t);
    expect((await call(t, 'GET', `/v1/messages/${id}`, { token })).json()).toMatchObject({
      status: 'sent',
    });
    // Read once a day, not once per message.
    expect(
      t.emulator.control.requestLog({ since, path: /mailboxSettings\/timeZone$/ }),
    ).toHaveLength(1);
  });
});
