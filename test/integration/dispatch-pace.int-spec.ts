import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { AppConfig } from '../../src/common/config/app-config.js';
import type { PaceSettings } from '../../src/common/pace/pace-settings.js';
import { TestClock } from '../../src/common/time/clock.js';
import { DispatchService } from '../../src/modules/outbound/dispatch.service.js';
import type { M365Emulator } from '../../src/sandbox/emulator.js';
import { queueMessages, seedSendingWorld } from '../factories/outbound.js';
import type { TestDatabase } from '../support/database.js';
import { type Instances, startInstances } from '../support/instances.js';

const MINUTE = 60_000;
// Monday 2026-12-07 08:00 in New York (13:00 UTC), after the real now of these runs.
const MONDAY_0800_NY = new Date('2026-12-07T13:00:00Z');

interface Send {
  from: string;
  subject: string;
  /** The shared test clock when the emulator received it. */
  at: Date;
}

describe('per-identity pace and reply priority (two instances, one test clock)', () => {
  let t: Instances;
  let db: TestDatabase;
  let emulator: M365Emulator;
  let config: AppConfig;
  const clock = new TestClock(MONDAY_0800_NY);

  beforeAll(async () => {
    // Exchange's own per-minute limit is not what is tested here (it runs on real time).
    t = await startInstances(2, { OUTBOUND_MAILBOX_MESSAGES_PER_WINDOW: '1000' }, { clock });
    ({ db, emulator, config } = t);
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    clock.set(MONDAY_0800_NY);
    await db.prisma.outboundMessage.deleteMany();
    await db.prisma.mailbox.deleteMany();
    await db.prisma.senderProfile.deleteMany();
  });

  async function pacedWorld(workspaceId: string, pace: PaceSettings) {
    const world = await seedSendingWorld(emulator, db.prisma, config, 1, workspaceId);
    await db.prisma.senderProfile.update({
      where: { id: world.profileId },
      data: { pace: pace as object },
    });
    return { ...world, email: world.mailboxes[0].email };
  }

  /**
   * Both instances dispatch at once, again and again; between rounds the clock jumps to the
   * next time a queued message is due (at least 1 s). Every send the emulator receives is
   * stamped with the clock at that round.
   */
  async function runUntil(end: Date, since: Date): Promise<Send[]> {
    const sends: Send[] = [];
    const seen = new Set<string>();
    while (clock.now() < end) {
      await Promise.all(t.apps.map((app) => app.get(DispatchService).dispatchOnce()));
      for (const s of emulator.control.graph.sentMail({ since })) {
        if (seen.has(s.id)) continue;
        seen.add(s.id);
        sends.push({ from: s.from.address.toLowerCase(), subject: s.subject, at: clock.now() });
      }
      const next = await db.prisma.outboundMessage.aggregate({
        where: { status: 'queued' },
        _min: { nextAttemptAt: true },
      });
      const due = next._min.nextAttemptAt;
      const sending = await db.prisma.outboundMessage.count({ where: { status: 'sending' } });
      if (!due && sending === 0) break;
      const step = new Date(clock.now().getTime() + 1000);
      clock.set(due && due > step ? due : step);
    }
    return sends;
  }

  const nyLocal = (at: Date) =>
    new Intl.DateTimeFormat('en-US', {
      timeZone: 'America/New_York',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(at);

  it('cap 30 with a 60–90 s gap inside a window, and a ramp of 5 (+5): never exceeded by two instances', async () => {
    const capped = await pacedWorld('ws-pace-cap', {
      dailyCap: 30,
      gap: { minSeconds: 60, maxSeconds: 90 },
      window: { days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00', timeZone: 'America/New_York' },
      ramp: null,
    });
    const ramped = await pacedWorld('ws-pace-ramp', {
      dailyCap: 30,
      gap: null,
      window: null,
      ramp: { start: 5, step: 5 },
    });
    const since = new Date(Date.now() - 1000);
    await queueMessages(db.prisma, capped.profileId, 40, 'cap', 'ws-pace-cap');
    await queueMessages(db.prisma, ramped.profileId, 40, 'ramp', 'ws-pace-ramp');
    // Until Tuesday 23:59 UTC (18:59 in New York).
    const sends = await runUntil(new Date('2026-12-08T23:59:00Z'), since);

    expect(new Set(sends.map((s) => s.subject)).size).toBe(sends.length);
    const cappedSends = sends.filter((s) => s.from === capped.email);
    const mondayCapped = cappedSends.filter((s) => nyLocal(s.at).startsWith('Mon'));
    expect(mondayCapped).toHaveLength(30);
    expect(cappedSends.filter((s) => nyLocal(s.at).startsWith('Tue'))).toHaveLength(10);
    for (const s of cappedSends) {
      const [, time] = nyLocal(s.at).split(' ');
      expect(time >= '09:00' && time < '17:00').toBe(true);
    }
    expect(nyLocal(mondayCapped[0].at)).toBe('Mon 09:00');
    for (let i = 1; i < mondayCapped.length; i += 1) {
      const gap = mondayCapped[i].at.getTime() - mondayCapped[i - 1].at.getTime();
      expect(gap).toBeGreaterThanOrEqual(MINUTE);
      expect(gap).toBeLessThanOrEqual(1.5 * MINUTE);
    }

    // The ramp counts UTC days (no window, a mailbox without a readable time zone).
    const rampDay = (s: Send) => s.at.toISOString().slice(0, 10);
    const rampSends = sends.filter((s) => s.from === ramped.email);
    expect(rampSends.filter((s) => rampDay(s) === '2026-12-07')).toHaveLength(5);
    expect(rampSends.filter((s) => rampDay(s) === '2026-12-08')).toHaveLength(10);
    expect(rampSends).toHaveLength(15);

    // What waits says why: the ramp's remaining messages wait for Wednesday (UTC).
    const waiting = await db.prisma.outboundMessage.findFirstOrThrow({
      where: { senderProfileId: ramped.profileId, status: 'queued' },
    });
    expect(waiting.waitingReason).toBe('ramp_limit_reached');
    expect(waiting.nextAttemptAt).toEqual(new Date('2026-12-09T00:00:00Z'));
    expect(waiting.attempts).toBe(0);
  }, 120_000);

  it('a reply queued after 50 paced cold messages on one identity goes first', async () => {
    const world = await pacedWorld('ws-pace-reply', {
      dailyCap: 30,
      gap: { minSeconds: 60, maxSeconds: 90 },
      window: null,
      ramp: null,
    });
    const since = new Date(Date.now() - 1000);
    await queueMessages(db.prisma, world.profileId, 50, 'cold', 'ws-pace-reply');
    await queueReply(world.profileId, 'ws-pace-reply');
    const sends = (await runUntil(new Date(MONDAY_0800_NY.getTime() + 10 * MINUTE), since)).filter(
      (s) => s.from === world.email,
    );
    expect(sends[0].subject).toBe('Re: your question');
    expect(sends.filter((s) => s.subject === 'Re: your question')).toHaveLength(1);
    expect(sends.length).toBeGreaterThan(5);
  }, 60_000);

  it('without any pace, the reply is still booked before the 50 cold messages (two instances)', async () => {
    const world = await seedSendingWorld(emulator, db.prisma, config, 1, 'ws-reply-unpaced');
    await queueMessages(db.prisma, world.profileId, 50, 'cold', 'ws-reply-unpaced');
    const replyId = await queueReply(world.profileId, 'ws-reply-unpaced');
    const since = new Date(Date.now() - 1000);
    const email = world.mailboxes[0].email;
    const sends = (await runUntil(new Date(MONDAY_0800_NY.getTime() + 10 * MINUTE), since)).filter(
      (s) => s.from === email,
    );
    expect(sends).toHaveLength(51);
    const booked = await db.prisma.outboundMessage.findMany({
      where: { senderProfileId: world.profileId },
      orderBy: { sendingStartedAt: 'asc' },
    });
    expect(booked[0].id).toBe(replyId);
    expect(booked.every((m) => m.status === 'sent')).toBe(true);
  }, 60_000);

  it('replies are not held back by the outreach cap, gap or window', async () => {
    const world = await pacedWorld('ws-pace-exempt', {
      dailyCap: 1,
      gap: { minSeconds: 3600, maxSeconds: 3600 },
      window: { days: [0], start: '09:00', end: '10:00', timeZone: 'UTC' },
      ramp: null,
    });
    const since = new Date(Date.now() - 1000);
    await queueMessages(db.prisma, world.profileId, 2, 'cold', 'ws-pace-exempt');
    await queueReply(world.profileId, 'ws-pace-exempt');
    await queueReply(world.profileId, 'ws-pace-exempt', 'Re: again');
    const sends = (await runUntil(new Date(MONDAY_0800_NY.getTime() + MINUTE), since)).filter(
      (s) => s.from === world.email,
    );
    expect(sends.map((s) => s.subject).sort()).toEqual(['Re: again', 'Re: your question']);
    const cold = await db.prisma.outboundMessage.findMany({
      where: { senderProfileId: world.profileId, isReply: false },
    });
    expect(cold.map((m) => m.waitingReason)).toEqual(['waiting_for_window', 'waiting_for_window']);
    // Sunday 09:00 UTC: the window's next opening.
    expect(cold[0].nextAttemptAt).toEqual(new Date('2026-12-13T09:00:00Z'));
  }, 60_000);

  it('a paced wait uses no attempt and does not count toward OUTBOUND_MAX_WAIT', async () => {
    const world = await pacedWorld('ws-pace-maxwait', {
      dailyCap: null,
      gap: null,
      window: { days: [0], start: '09:00', end: '10:00', timeZone: 'UTC' },
      ramp: null,
    });
    const threeDaysAgo = new Date(Date.now() - 3 * 24 * 3600_000);
    const [paced, unpaced] = await queueMessages(
      db.prisma,
      world.profileId,
      2,
      'old',
      'ws-pace-maxwait',
    );
    await db.prisma.outboundMessage.updateMany({ data: { createdAt: threeDaysAgo } });
    await db.prisma.outboundMessage.update({
      where: { id: unpaced },
      data: { nextAttemptAt: new Date('2099-01-01') },
    });
    const dispatch = () =>
      Promise.all(t.apps.map((app) => app.get(DispatchService).dispatchOnce()));
    await dispatch();
    expect(
      await db.prisma.outboundMessage.findUniqueOrThrow({ where: { id: paced } }),
    ).toMatchObject({
      status: 'queued',
      attempts: 0,
      waitingReason: 'waiting_for_window',
    });

    // Now no identity can send: the message created 3 days ago waited for the pace, not for an
    // identity, so it keeps waiting; one that never waited for the pace fails (24 h passed).
    await db.prisma.identity.updateMany({ data: { status: 'inactive' } });
    await db.prisma.outboundMessage.updateMany({ data: { nextAttemptAt: clock.now() } });
    await dispatch();
    const after = await db.prisma.outboundMessage.findMany({
      where: { senderProfileId: world.profileId },
    });
    expect(after.find((m) => m.id === paced)).toMatchObject({
      status: 'queued',
      attempts: 0,
      waitingReason: 'no_sendable_identity',
    });
    expect(after.find((m) => m.id === unpaced)).toMatchObject({ status: 'failed' });
  });

  async function queueReply(
    profileId: string,
    workspaceId: string,
    subject = 'Re: your question',
  ): Promise<string> {
    const id = randomUUID();
    await db.prisma.outboundMessage.create({
      data: {
        id,
        workspaceId,
        senderProfileId: profileId,
        toRecipients: [{ email: 'prospect@example.com' }],
        recipientCount: 1,
        subject,
        textBody: 'Thanks for asking',
        requestHash: randomUUID(),
        marker: randomUUID(),
        isReply: true,
        inReplyTo: '<question@example.com>',
      },
    });
    return id;
  }
});
