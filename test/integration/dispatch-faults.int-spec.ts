import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { DispatchService } from '../../src/modules/outbound/dispatch.service.js';
import { addAliasIdentity, queueMessages, seedSendingWorld } from '../factories/outbound.js';
import { type Instances, startInstances } from '../support/instances.js';

const WINDOW_MS = 1500;
const SETTLE_MS = 1500;
const SEND_PATH = '/v1.0/me/sendMail';

/**
 * Issue 10: sending under concurrency and faults, two service instances on one database
 * against the emulator. Each test is named after the acceptance item.
 */
describe('sending under faults (issue 10)', () => {
  let t: Instances;

  beforeAll(async () => {
    t = await startInstances(2, {
      OUTBOUND_MAILBOX_WINDOW_MS: String(WINDOW_MS),
      OUTBOUND_MAILBOX_WINDOW_MARGIN_MS: '1000',
      OUTBOUND_SENT_ITEMS_SETTLE_MS: String(SETTLE_MS),
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

  const dispatcher = (i: number) => t.apps[i].get(DispatchService);
  const message = (id: string) => t.db.prisma.outboundMessage.findUniqueOrThrow({ where: { id } });
  const settled = (ids: string[]) => async () =>
    (await t.db.prisma.outboundMessage.count({
      where: { id: { in: ids }, status: { in: ['sent', 'failed', 'cancelled'] } },
    })) === ids.length;

  /** Both instances dispatch until `done`, pausing while nothing is due. */
  async function drainBoth(done: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const loop = async (i: number) => {
      while (!(await done())) {
        if (Date.now() > deadline) throw new Error('dispatch did not finish in time');
        const result = await dispatcher(i).dispatchOnce();
        if (result.claimed === 0 || result.deferred + result.unknown === result.claimed)
          await new Promise((r) => setTimeout(r, 100));
      }
    };
    await Promise.all([loop(0), loop(1)]);
  }

  const sentFrom = (since: Date) =>
    t.emulator.control.graph.sentMail({ since }).map((s) => s.from.address.toLowerCase());

  function spread(addresses: string[]): number[] {
    const counts = new Map<string, number>();
    for (const a of addresses) counts.set(a, (counts.get(a) ?? 0) + 1);
    return [...counts.values()];
  }

  describe('issue 10.1: rotation under concurrency', () => {
    for (const count of [4, 40]) {
      it(`${count} messages, 2 identities on the same mailbox, 2 instances: counts differ by ≤ 1`, async () => {
        const world = await seedSendingWorld(t.emulator, t.db.prisma, t.config, 1);
        await addAliasIdentity(t.emulator, t.db.prisma, world, world.profileId);
        const since = new Date();
        const ids = await queueMessages(t.db.prisma, world.profileId, count, `same-${count}`);
        await drainBoth(settled(ids));
        const counts = spread(sentFrom(since));
        expect(counts).toHaveLength(2);
        expect(counts.reduce((a, b) => a + b)).toBe(count);
        expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
      }, 90_000);

      it(`${count} messages, 2 identities on two mailboxes, 2 instances: counts differ by ≤ 1`, async () => {
        const world = await seedSendingWorld(t.emulator, t.db.prisma, t.config, 2);
        const since = new Date();
        const ids = await queueMessages(t.db.prisma, world.profileId, count, `two-${count}`);
        await drainBoth(settled(ids));
        const counts = spread(sentFrom(since));
        expect(counts).toHaveLength(2);
        expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
      }, 90_000);
    }
  });

  describe('issue 10.2: a sendMail without an answer is never resent blindly', () => {
    it('connection dropped after Microsoft accepted: ends sent, accepted once', async () => {
      const world = await seedSendingWorld(t.emulator, t.db.prisma, t.config, 1);
      t.emulator.control.setSentItemsDelayMs(800);
      t.emulator.control.addFault({ method: 'POST', path: SEND_PATH, times: 1, drop: 'after' });
      const since = new Date();
      const [id] = await queueMessages(t.db.prisma, world.profileId, 1, 'dropped-after');
      await dispatcher(0).dispatchOnce();
      expect(await message(id)).toMatchObject({
        status: 'sending',
        errorCode: 'send_outcome_unknown',
      });
      await drainBoth(settled([id]));
      expect(await message(id)).toMatchObject({ status: 'sent' });
      expect(t.emulator.control.graph.sentMail({ since })).toHaveLength(1);
    }, 60_000);

    it('connection dropped before Microsoft accepted: sent exactly once', async () => {
      const world = await seedSendingWorld(t.emulator, t.db.prisma, t.config, 1);
      t.emulator.control.addFault({ method: 'POST', path: SEND_PATH, times: 1, drop: 'before' });
      const since = new Date();
      const [id] = await queueMessages(t.db.prisma, world.profileId, 1, 'dropped-before');
      await drainBoth(settled([id]));
      expect(await message(id)).toMatchObject({ status: 'sent' });
      expect(t.emulator.control.graph.sentMail({ since })).toHaveLength(1);
      expect(
        t.emulator.control.requestLog({ method: 'POST', path: SEND_PATH, since }),
      ).toHaveLength(2);
    }, 60_000);

    it('marker search failing twice, then working: still exactly once', async () => {
      const world = await seedSendingWorld(t.emulator, t.db.prisma, t.config, 1);
      t.emulator.control.addFault({ method: 'POST', path: SEND_PATH, times: 1, drop: 'after' });
      t.emulator.control.failNext({
        method: 'GET',
        path: '/v1.0/me/mailFolders/sentitems/messages',
        times: 2,
        status: 500,
        body: { error: { code: 'generalException', message: 'search failed' } },
      });
      const since = new Date();
      const [id] = await queueMessages(t.db.prisma, world.profileId, 1, 'search-fails');
      await drainBoth(settled([id]), 90_000);
      expect(await message(id)).toMatchObject({ status: 'sent' });
      expect(t.emulator.control.graph.sentMail({ since })).toHaveLength(1);
    }, 120_000);
  });

  describe('issue 10.4: Graph 401 and revoked grants', () => {
    it('Graph 401 once on sendMail: one token refresh, then the message is sent', async () => {
      const world = await seedSendingWorld(t.emulator, t.db.prisma, t.config, 1);
      const [id] = await queueMessages(t.db.prisma, world.profileId, 1, 'unauthorized');
      await dispatcher(0).dispatchOnce(); // refreshes the expired seed token and sends
      const user = world.mailboxes[0].msUserId;
      const before = t.emulator.control.tokenLog({ userId: user }).length;
      const since = new Date();
      const [second] = await queueMessages(t.db.prisma, world.profileId, 1, 'unauthorized-2');
      t.emulator.control.failNext({
        method: 'POST',
        path: SEND_PATH,
        times: 1,
        status: 401,
        body: { error: { code: 'InvalidAuthenticationToken', message: 'expired' } },
      });
      await drainBoth(settled([id, second]));
      expect(await message(second)).toMatchObject({ status: 'sent', attempts: 1 });
      expect(t.emulator.control.tokenLog({ userId: user }).length - before).toBe(1);
      expect(t.emulator.control.graph.sentMail({ since })).toHaveLength(1);
    }, 60_000);

    it('revoked grant: needs_reauth, the message goes through the other mailbox', async () => {
      const world = await seedSendingWorld(t.emulator, t.db.prisma, t.config, 2);
      const [revoked, other] = world.mailboxes;
      t.emulator.control.revokeRefreshTokens(revoked.msUserId);
      const since = new Date();
      const ids = await queueMessages(t.db.prisma, world.profileId, 4, 'revoked');
      await drainBoth(settled(ids));
      expect(new Set(sentFrom(since))).toEqual(new Set([other.email]));
      const mailbox = await t.db.prisma.mailbox.findUniqueOrThrow({
        where: { id: revoked.mailboxId },
      });
      expect(mailbox.status).toBe('needs_reauth');
      const rows = await t.db.prisma.outboundMessage.findMany({ where: { id: { in: ids } } });
      expect(rows.every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true);
    }, 60_000);

    it('revoked grant and no other identity: left queued with mailbox_needs_reauth, attempts unused', async () => {
      const world = await seedSendingWorld(t.emulator, t.db.prisma, t.config, 1);
      t.emulator.control.revokeRefreshTokens(world.mailboxes[0].msUserId);
      const [id] = await queueMessages(t.db.prisma, world.profileId, 1, 'stranded');
      for (let i = 0; i < 3; i += 1) {
        await t.db.prisma.outboundMessage.update({
          where: { id },
          data: { nextAttemptAt: new Date() },
        });
        await dispatcher(i % 2).dispatchOnce();
      }
      expect(await message(id)).toMatchObject({
        status: 'queued',
        attempts: 0,
        errorCode: expect.stringMatching(/^(mailbox_needs_reauth|mailboxes_need_reauth)$/),
      });
    }, 60_000);
  });
});
