import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { AppConfig } from '../../src/common/config/app-config.js';
import type { PaceSettings } from '../../src/common/pace/pace-settings.js';
import { TestClock } from '../../src/common/time/clock.js';
import { DispatchService } from '../../src/modules/outbound/dispatch.service.js';
import type { M365Emulator } from '../../src/sandbox/emulator.js';
import { queueMessages, seedSendingWorld } from '../factories/outbound.js';
import type { TestDatabase } from '../support/database.js';
import { type Instances, startInstances } from '../support/instances.js';

// Monday 2026-12-07 08:00 in New York, after the real now of these runs.
const MONDAY = new Date('2026-12-07T13:00:00Z');

/**
 * The dispatcher books the messages of one profile that its workers ask for together under one
 * hold of the profile's lock (reserveMany). Each booking of such a group must see the ones
 * before it exactly as if they had been read back from the database: these rounds queue far
 * more than the pace allows, so a group deciding on its opening read would overbook.
 */
describe('group booking under one profile lock (two instances, one test clock)', () => {
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

  const sentPerSender = (since: Date) => {
    const counts = new Map<string, number>();
    for (const s of emulator.control.graph.sentMail({ since })) {
      const from = s.from.address.toLowerCase();
      counts.set(from, (counts.get(from) ?? 0) + 1);
    }
    return counts;
  };

  it('a daily cap of 4 on 3 identities: 40 queued, exactly 12 go, 4 from each', async () => {
    const w = await world('ws-group-cap', 3, {
      dailyCap: 4,
      gap: null,
      window: null,
      ramp: null,
    });
    const since = new Date();
    await queueMessages(db.prisma, w.profileId, 40, 'group-cap');
    await oneRound();
    await oneRound();
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
    await queueMessages(db.prisma, w.profileId, 24, 'group-gap');
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
    await queueMessages(db.prisma, w.profileId, 43, 'group-rotation');
    for (let i = 0; i < 5; i += 1) await oneRound();
    const counts = [...sentPerSender(since).values()];
    expect(counts.reduce((a, b) => a + b, 0)).toBe(43);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
  }, 60_000);
});
