import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import type { AppConfig } from '../../src/common/config/app-config.js';
import { DispatchService } from '../../src/modules/outbound/dispatch.service.js';
import type { M365Emulator } from '../../src/sandbox/emulator.js';
import { addAliasIdentity, queueMessages, seedSendingWorld } from '../factories/outbound.js';
import { buildSenderProfile } from '../factories/sender-profile.js';
import type { TestDatabase } from '../support/database.js';
import { type Instances, startInstances } from '../support/instances.js';

const WINDOW_MS = 1500;

describe('dispatcher against the emulator (two service instances)', () => {
  let t: Instances;
  let db: TestDatabase;
  let emulator: M365Emulator;
  let config: AppConfig;
  let instances: INestApplication[];

  beforeAll(async () => {
    t = await startInstances(2, {
      OUTBOUND_MAILBOX_WINDOW_MS: String(WINDOW_MS),
      OUTBOUND_MAILBOX_WINDOW_MARGIN_MS: '1000',
      OUTBOUND_MAILBOX_MESSAGES_PER_WINDOW: '30',
    });
    ({ db, emulator, config, apps: instances } = t);
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    await db.prisma.outboundMessage.deleteMany();
    await db.prisma.mailbox.deleteMany();
    await db.prisma.senderProfile.deleteMany();
  });

  const dispatcher = (i: number) => instances[i].get(DispatchService);
  const drain = async (i: number, until: () => Promise<boolean>, timeoutMs = 60_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await until())) {
      if (Date.now() > deadline) throw new Error('dispatch did not finish in time');
      const result = await dispatcher(i).dispatchOnce();
      if (result.claimed === 0 || result.deferred === result.claimed)
        await new Promise((r) => setTimeout(r, 100));
    }
  };
  const allSent = (ids: string[]) => async () =>
    (await db.prisma.outboundMessage.count({ where: { id: { in: ids }, status: 'sent' } })) ===
    ids.length;

  it('a burst of 100 to one mailbox never exceeds 30 per window, and all are sent', async () => {
    const world = await seedSendingWorld(emulator, db.prisma, config, 1);
    const since = new Date();
    const ids = await queueMessages(db.prisma, world.profileId, 100, 'burst');
    await Promise.all([drain(0, allSent(ids)), drain(1, allSent(ids))]);
    const sends = emulator.control.graph
      .sentMail({ since })
      .map((s) => new Date(s.at).getTime())
      .sort((a, b) => a - b);
    expect(sends).toHaveLength(100);
    expect(worstWindow(sends)).toBeLessThanOrEqual(30);
    expect(sends[sends.length - 1] - sends[0]).toBeGreaterThanOrEqual(3 * WINDOW_MS * 0.9);
  }, 90_000);

  it('two profiles through one mailbox, 40 each: never over 30 per window for both together', async () => {
    const world = await seedSendingWorld(emulator, db.prisma, config, 1);
    const other = await buildSenderProfile(db.prisma, { workspaceId: 'ws-send' });
    await addAliasIdentity(emulator, db.prisma, world, other.id);
    const since = new Date();
    const ids = [
      ...(await queueMessages(db.prisma, world.profileId, 40, 'shared-a')),
      ...(await queueMessages(db.prisma, other.id, 40, 'shared-b')),
    ];
    await Promise.all([drain(0, allSent(ids)), drain(1, allSent(ids))]);
    const sends = emulator.control.graph.sentMail({ since }).map((s) => new Date(s.at).getTime());
    expect(sends).toHaveLength(80);
    expect(worstWindow(sends)).toBeLessThanOrEqual(30);
  }, 90_000);

  it('two dispatchers, 500 queued messages: each sent exactly once', async () => {
    const world = await seedSendingWorld(emulator, db.prisma, config, 20);
    const since = new Date();
    const ids = await queueMessages(db.prisma, world.profileId, 500, 'pair');
    await Promise.all([drain(0, allSent(ids)), drain(1, allSent(ids))]);
    const subjects = emulator.control.graph.sentMail({ since }).map((s) => s.subject);
    expect(subjects).toHaveLength(500);
    expect(new Set(subjects).size).toBe(500);
    const used = await db.prisma.outboundMessage.groupBy({ by: ['mailboxId'], _count: true });
    expect(used.length).toBe(20);
    expect(Math.max(...used.map((u) => u._count))).toBeLessThanOrEqual(30);
  }, 90_000);
});

/** The most sends in any window of WINDOW_MS (sliding, starting at each send). */
function worstWindow(sends: number[]): number {
  let worst = 0;
  for (const start of sends) {
    const inWindow = sends.filter((t) => t >= start && t < start + WINDOW_MS).length;
    worst = Math.max(worst, inWindow);
  }
  return worst;
}
