import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { AppConfig } from '../../src/common/config/app-config.js';
import type { PaceSettings } from '../../src/common/pace/pace-settings.js';
import { TestClock } from '../../src/common/time/clock.js';
import { DispatchService } from '../../src/modules/outbound/dispatch.service.js';
import type { M365Emulator } from '../../src/sandbox/emulator.js';
import { addAliasIdentity, queueMessages, seedSendingWorld } from '../factories/outbound.js';
import type { TestDatabase } from '../support/database.js';
import { type Instances, startInstances } from '../support/instances.js';

// Monday 2026-12-07 08:00 in New York, after the real now of these runs.
const MONDAY = new Date('2026-12-07T13:00:00Z');

/**
 * The dispatcher books the messages of one profile that its workers ask for together in one
 * group (reserveMany): one state read, every booking planned on it as the ones before it change
 * it, one booking statement. These rounds queue far more than the pace allows, so a group
 * deciding on its opening read would overbook; and a group sends to one mailbox no more at once
 * than Graph lets an app (429 MailboxConcurrency).
 */
describe('group booking (two instances, one test clock)', () => {
  let t: Instances;
  let db: TestDatabase;
  let emulator: M365Emulator;
  let config: AppConfig;
  const clock = new TestClock(MONDAY);

  beforeAll(async () => {
    t = await startInstances(2, { OUTBOUND_MAILBOX_MESSAGES_PER_WINDOW: '1000' }, { clock });
    ({ db, emulator, config } = t);
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    clock.set(MONDAY);
    emulator.store.faults.globalLatencyMs = 0;
    emulator.control.graph.resetThrottling();
    await db.prisma.outboundMessage.deleteMany();
    await db.prisma.mailbox.deleteMany();
    await db.prisma.senderProfile.deleteMany();
  });

  async function world(workspaceId: string, mailboxes: number, pace: PaceSettings | null) {
    const w = await seedSendingWorld(emulator, db.prisma, config, mailboxes, workspaceId);
    await db.prisma.senderProfile.update({
      where: { id: w.profileId },
      data: { pace: pace as object },
    });
    return w;
  }

  const oneRound = () => Promise.all(t.apps.map((app) => app.get(DispatchService).dispatchOnce()));

  /** Rounds on both instances, the test clock a second on each time, until `ids` are sent. */
  async function untilSent(ids: string[], rounds = 40): Promise<void> {
    for (let i = 0; i < rounds; i += 1) {
      await oneRound();
      const sent = await db.prisma.outboundMessage.count({
        where: { id: { in: ids }, status: 'sent' },
      });
      if (sent === ids.length) return;
      clock.set(new Date(clock.now().getTime() + 1000));
    }
    throw new Error('not all sent');
  }

  const sentPerSender = (since: Date) => {
    const counts = new Map<string, number>();
    for (const s of emulator.control.graph.sentMail({ since })) {
      const from = s.from.address.toLowerCase();
      counts.set(from, (counts.get(from) ?? 0) + 1);
    }
    return counts;
  };

  it('a daily cap of 4 on 3 identities: 40 queued, exactly 12 go, 4 from each', async () => {
    const w = await world('ws-group-cap', 3, { dailyCap: 4, gap: null, window: null, ramp: null });
    const since = new Date();
    await queueMessages(db.prisma, w.profileId, 40, 'group-cap', 'ws-group-cap');
    // Rounds a second apart: messages held while their mailbox is busy are decided again.
    for (let i = 0; i < 5; i += 1) {
      await oneRound();
      clock.set(new Date(clock.now().getTime() + 1000));
    }
    expect([...sentPerSender(since).values()].sort()).toEqual([4, 4, 4]);
    expect(
      await db.prisma.outboundMessage.count({
        where: { status: 'queued', waitingReason: 'daily_cap_reached' },
      }),
    ).toBe(28);
  }, 60_000);

  it('a 60–90 s gap on 3 identities: one send each per round, never two', async () => {
    const w = await world('ws-group-gap', 3, {
      dailyCap: null,
      gap: { minSeconds: 60, maxSeconds: 90 },
      window: null,
      ramp: null,
    });
    const since = new Date();
    await queueMessages(db.prisma, w.profileId, 24, 'group-gap', 'ws-group-gap');
    await oneRound();
    expect([...sentPerSender(since).values()].sort()).toEqual([1, 1, 1]);
    expect(
      await db.prisma.outboundMessage.count({
        where: { status: 'queued', waitingReason: 'minimum_gap' },
      }),
    ).toBe(21);
  }, 60_000);

  it('no pace, 5 identities, 43 messages: rotation stays within 1', async () => {
    const w = await world('ws-group-rotation', 5, null);
    const since = new Date();
    const ids = await queueMessages(db.prisma, w.profileId, 43, 'group-rot', 'ws-group-rotation');
    await untilSent(ids);
    const counts = [...sentPerSender(since).values()];
    expect(counts.reduce((a, b) => a + b, 0)).toBe(43);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
  }, 60_000);

  it('one mailbox, 24 messages, sends taking 150 ms: never over Graph’s concurrency, no attempt lost', async () => {
    // The emulator refuses a 4th concurrent request per app and mailbox, as Graph does.
    emulator.control.graph.setThrottling({ mailboxConcurrency: 3 });
    emulator.store.faults.globalLatencyMs = 150;
    const w = await world('ws-group-busy', 1, null);
    const since = new Date();
    const ids = await queueMessages(db.prisma, w.profileId, 24, 'group-busy', 'ws-group-busy');
    await untilSent(ids);
    expect(emulator.control.graph.sentMail({ since })).toHaveLength(24);
    const rows = await db.prisma.outboundMessage.findMany({ where: { id: { in: ids } } });
    expect(rows.filter((r) => r.attempts !== 1 || r.errorCode !== null)).toEqual([]);
  }, 60_000);

  it('two profiles through one mailbox: each message sent once, from its own profile’s identity', async () => {
    const a = await world('ws-group-shared', 1, null);
    const profileB = randomUUID();
    await db.prisma.senderProfile.create({
      data: { id: profileB, workspaceId: 'ws-group-shared', name: 'B', fromName: 'B' },
    });
    const alias = await addAliasIdentity(emulator, db.prisma, a, profileB, 'ws-group-shared');
    const since = new Date();
    const ids = [
      ...(await queueMessages(db.prisma, a.profileId, 20, 'shared-a', 'ws-group-shared')),
      ...(await queueMessages(db.prisma, profileB, 20, 'shared-b', 'ws-group-shared')),
    ];
    await untilSent(ids);
    const counts = sentPerSender(since);
    expect(counts.get(alias)).toBe(20);
    expect(counts.get(a.mailboxes[0].email.toLowerCase())).toBe(20);
  }, 60_000);
});
