import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { DispatchService } from '../../src/modules/outbound/dispatch.service.js';
import { SentDetailsJob } from '../../src/modules/outbound/sent-details.job.js';
import { SentDetailsRepository } from '../../src/modules/outbound/sent-details.repository.js';
import { queueMessages, seedSendingWorld, type SendingWorld } from '../factories/outbound.js';
import { type Instances, startInstances } from '../support/instances.js';

const SETTLE_MS = 500;
const RETRY_MS = 300;
const MAX_ATTEMPTS = 4;
const MAX_AGE_MS = 60_000;
const SENT_ITEMS = '/v1.0/me/mailFolders/sentitems/messages';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The sent-details job (issue 15: internetMessageId and conversationId of sent messages): two
 * service instances on one database, Sent Items read from the emulator over HTTPS.
 */
describe('sent messages get their internetMessageId and conversationId from Sent Items', () => {
  let t: Instances;

  beforeAll(async () => {
    t = await startInstances(2, {
      OUTBOUND_SENT_ITEMS_SETTLE_MS: String(SETTLE_MS),
      OUTBOUND_SENT_DETAILS_RETRY_MS: String(RETRY_MS),
      OUTBOUND_SENT_DETAILS_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
      OUTBOUND_SENT_DETAILS_MAX_AGE_MS: String(MAX_AGE_MS),
      OUTBOUND_MAILBOX_MESSAGES_PER_WINDOW: '1000',
    });
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    t.emulator.control.clearFaults();
    t.emulator.control.setSentItemsDelayMs(0);
    await t.db.prisma.outboundMessage.deleteMany();
    await t.db.prisma.identity.deleteMany();
    await t.db.prisma.mailbox.deleteMany();
    await t.db.prisma.senderProfile.deleteMany();
  });

  const job = (i = 0) => t.apps[i].get(SentDetailsJob);
  const row = (id: string) => t.db.prisma.outboundMessage.findUniqueOrThrow({ where: { id } });
  /** Sent Items searches since `since` (each test's traffic is its own mailbox's only). */
  const lookups = (since: Date) =>
    t.emulator.control.requestLog({ method: 'GET', path: SENT_ITEMS, since });

  /** Sends `count` messages from one mailbox and waits until their lookups are due. */
  async function sent(count: number, prefix: string) {
    const world = await seedSendingWorld(t.emulator, t.db.prisma, t.config, 1);
    const ids = await queueMessages(t.db.prisma, world.profileId, count, prefix);
    // A burst may meet the emulator's ApplicationThrottled (429): those wait their backoff.
    for (let round = 0; round < 60; round += 1) {
      await t.apps[0].get(DispatchService).dispatchOnce(100);
      const left = await t.db.prisma.outboundMessage.count({
        where: { id: { in: ids }, status: { not: 'sent' } },
      });
      if (left === 0) break;
      await sleep(100);
    }
    const rows = await t.db.prisma.outboundMessage.findMany({ where: { id: { in: ids } } });
    expect(rows.map((r) => r.status)).toEqual(Array(count).fill('sent'));
    expect(rows.every((r) => r.internetMessageId === null && r.detailsCheckAt !== null)).toBe(true);
    return { world, ids };
  }

  const untilDue = async (ids: string[]) => {
    const rows = await t.db.prisma.outboundMessage.findMany({ where: { id: { in: ids } } });
    const due = Math.max(...rows.map((r) => (r.detailsCheckAt as Date).getTime()));
    await sleep(Math.max(0, due - Date.now() + 20));
  };

  /** What the emulator stored on the message's copy in Sent Items. */
  function copyOf(world: SendingWorld, marker: string) {
    const copies = t.emulator.control.graph.messages(world.mailboxes[0].msUserId, 'sentitems');
    const copy = copies.find((m) =>
      (m.singleValueExtendedProperties ?? []).some((p) => p.value === marker),
    );
    if (!copy) throw new Error(`no copy in Sent Items for ${marker}`);
    return { internetMessageId: copy.internetMessageId, conversationId: copy.conversationId };
  }

  async function sweepUntil(done: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await done())) {
      if (Date.now() > deadline) throw new Error('the sent-details job did not finish in time');
      await job().sweep();
      await sleep(50);
    }
  }

  it('the copy is not in Sent Items at first: looked up again later and its ids stored', async () => {
    t.emulator.control.setSentItemsDelayMs(1500);
    const { world, ids } = await sent(1, 'late-copy');
    const [id] = ids;
    const since = new Date();
    await untilDue(ids);
    expect(await job().sweep()).toMatchObject({ claimed: 1, retry: 1, stored: 0 });
    const waiting = await row(id);
    expect(waiting).toMatchObject({ internetMessageId: null, detailsAttempts: 1 });
    expect(waiting.detailsCheckAt!.getTime()).toBeGreaterThan(Date.now());

    await sweepUntil(async () => (await row(id)).internetMessageId !== null);
    const done = await row(id);
    const copy = copyOf(world, done.marker);
    expect(done).toMatchObject({ ...copy, detailsCheckAt: null, detailsGaveUpAt: null });
    expect(copy.internetMessageId).toMatch(/^<.+@.+>$/);
    expect(done.detailsAttempts).toBeGreaterThanOrEqual(1);
    expect(done.detailsAttempts).toBeLessThan(MAX_ATTEMPTS);
    expect(lookups(since)).toHaveLength(done.detailsAttempts + 1);
  });

  it('Sent Items search failing (503): no lookup used up, retried, the ids stored once it answers', async () => {
    const { world, ids } = await sent(1, 'search-fails');
    const [id] = ids;
    const since = new Date();
    const fault = t.emulator.control.addFault({
      method: 'GET',
      path: SENT_ITEMS,
      response: { status: 503, body: { error: { code: 'ServiceUnavailable', message: 'down' } } },
    });
    await untilDue(ids);
    for (let i = 0; i < 3; i += 1) {
      expect(await job().sweep()).toMatchObject({ claimed: 1, unavailable: 1 });
      const waiting = await row(id);
      expect(waiting).toMatchObject({ internetMessageId: null, detailsAttempts: 0 });
      expect(waiting.detailsGaveUpAt).toBeNull();
      await untilDue(ids);
    }
    expect(lookups(since).map((r) => r.status)).toEqual([503, 503, 503]);

    t.emulator.control.removeFault(fault.id);
    expect(await job().sweep()).toMatchObject({ claimed: 1, stored: 1 });
    const done = await row(id);
    expect(done).toMatchObject({ ...copyOf(world, done.marker), detailsAttempts: 0 });
  });

  it('two instances at once: each message is looked up exactly once', async () => {
    const { world, ids } = await sent(40, 'two-instances');
    // Slow answers, so both instances are at work at the same time.
    t.emulator.control.addFault({ method: 'GET', path: SENT_ITEMS, delayMs: 60 });
    await untilDue(ids);
    const since = new Date();
    const results = await Promise.all([job(0).sweep(), job(1).sweep()]);
    expect(results.map((r) => r.stored).reduce((a, b) => a + b)).toBe(40);
    expect(results.every((r) => r.stored > 0)).toBe(true);
    expect(lookups(since)).toHaveLength(40);
    const rows = await t.db.prisma.outboundMessage.findMany({ where: { id: { in: ids } } });
    for (const r of rows) expect(r).toMatchObject(copyOf(world, r.marker));
    expect(new Set(rows.map((r) => r.internetMessageId)).size).toBe(40);
    expect(await Promise.all([job(0).sweep(), job(1).sweep()])).toMatchObject([
      { claimed: 0 },
      { claimed: 0 },
    ]);
  });

  it('a worker that died holding the lease: the row waits for the lease to end, then is looked up', async () => {
    const { world, ids } = await sent(1, 'crashed-worker');
    const [id] = ids;
    await untilDue(ids);
    // Instance 0 claims the row and "dies" before looking it up (its lease: 400 ms).
    expect(await t.apps[0].get(SentDetailsRepository).claimDue(new Date(), 10, 400)).toEqual([id]);
    const since = new Date();
    expect(await job(1).sweep()).toMatchObject({ claimed: 0 });
    expect(lookups(since)).toHaveLength(0);
    await sleep(450);
    expect(await job(1).sweep()).toMatchObject({ claimed: 1, stored: 1 });
    const done = await row(id);
    expect(done).toMatchObject({
      ...copyOf(world, done.marker),
      lockedBy: null,
      lockedUntil: null,
    });
    expect(lookups(since)).toHaveLength(1);
  });

  it('a copy that never appears: given up after the bound, recorded, never looked up again', async () => {
    const { world, ids } = await sent(1, 'never');
    const [id] = ids;
    const { msUserId } = world.mailboxes[0];
    const marker = (await row(id)).marker;
    const copy = t.emulator.control.graph
      .messages(msUserId, 'sentitems')
      .find((m) => (m.singleValueExtendedProperties ?? []).some((p) => p.value === marker));
    t.emulator.control.graph.deleteMessage(msUserId, copy!.id);
    const since = new Date();
    await sweepUntil(async () => (await row(id)).detailsGaveUpAt !== null);
    expect(await row(id)).toMatchObject({
      status: 'sent',
      internetMessageId: null,
      detailsAttempts: MAX_ATTEMPTS,
      detailsCheckAt: null,
    });
    expect(lookups(since)).toHaveLength(MAX_ATTEMPTS);
    await sleep(RETRY_MS * 2);
    expect(await job().sweep()).toMatchObject({ claimed: 0 });
    expect(lookups(since)).toHaveLength(MAX_ATTEMPTS);
  });

  it('mailbox disconnected: no lookup is made or used up; given up once the age bound has passed', async () => {
    const { world, ids } = await sent(1, 'disconnected');
    const [id] = ids;
    await t.db.prisma.mailbox.update({
      where: { id: world.mailboxes[0].mailboxId },
      data: { disconnectedAt: new Date() },
    });
    const since = new Date();
    await untilDue(ids);
    expect(await job().sweep()).toMatchObject({ claimed: 1, unavailable: 1 });
    expect(await row(id)).toMatchObject({ detailsAttempts: 0, detailsGaveUpAt: null });
    expect(lookups(since)).toHaveLength(0);

    await t.db.prisma.outboundMessage.update({
      where: { id },
      data: { sentAt: new Date(Date.now() - MAX_AGE_MS - 1000), detailsCheckAt: new Date() },
    });
    expect(await job().sweep()).toMatchObject({ claimed: 1, gave_up: 1 });
    const done = await row(id);
    expect(done).toMatchObject({
      detailsAttempts: 0,
      detailsCheckAt: null,
      internetMessageId: null,
    });
    expect(done.detailsGaveUpAt).not.toBeNull();
  });

  it('token endpoint down with an expired access token: waits for the token, no lookup used up', async () => {
    const { world, ids } = await sent(1, 'no-token');
    const [id] = ids;
    await t.db.prisma.mailboxCredential.update({
      where: { mailboxId: world.mailboxes[0].mailboxId },
      data: { accessTokenExpiresAt: new Date(Date.now() - 1000) },
    });
    t.emulator.control.setTokenEndpointAvailable(false, 30, 60_000);
    try {
      const since = new Date();
      await untilDue(ids);
      expect(await job().sweep()).toMatchObject({ claimed: 1, unavailable: 1 });
      const waiting = await row(id);
      expect(waiting).toMatchObject({ detailsAttempts: 0, internetMessageId: null });
      expect(waiting.detailsCheckAt!.getTime()).toBeGreaterThan(Date.now() + 5_000);
      expect(lookups(since)).toHaveLength(0);
    } finally {
      t.emulator.control.setTokenEndpointAvailable(true);
    }
  });
});
