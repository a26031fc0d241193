import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import type { AppConfig } from '../../src/common/config/app-config.js';
import { IdentityScanJob } from '../../src/modules/identity/identity-scan.job.js';
import { IdentityScanRepository } from '../../src/modules/identity/identity-scan.repository.js';
import type { M365Emulator } from '../../src/sandbox/emulator.js';
import { seedDelegatedMailboxes } from '../factories/delegated-mailbox.js';
import type { TestDatabase } from '../support/database.js';
import { type Instances, startInstances } from '../support/instances.js';

describe('identity re-scan job against the emulator (two service instances)', () => {
  let t: Instances;
  let db: TestDatabase;
  let emulator: M365Emulator;
  let config: AppConfig;
  let instances: INestApplication[];

  beforeAll(async () => {
    t = await startInstances(2);
    ({ db, emulator, config, apps: instances } = t);
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    emulator.control.clearFaults();
    emulator.control.clearLogs();
    await db.prisma.mailbox.deleteMany();
  });

  const job = (i: number) => instances[i].get(IdentityScanJob);
  const due = (mailboxIds: string[]) =>
    db.prisma.identityScan.createMany({
      data: mailboxIds.map((mailboxId) => ({ mailboxId, nextScanAt: new Date(Date.now() - 1000) })),
    });
  const meCalls = () => emulator.control.requestLog({ path: '/v1.0/me' });

  it('scans each of 300 due mailboxes exactly once with one Graph request each', async () => {
    const seeded = await seedDelegatedMailboxes(emulator, db.prisma, config, 300, {
      expiresInMs: -1000,
    });
    await due(seeded.map((m) => m.mailboxId));
    const [a, b] = await Promise.all([job(0).sweep(), job(1).sweep()]);
    expect(a.scanned + b.scanned).toBe(300);
    expect(a.failed + b.failed).toBe(0);
    const calls = meCalls();
    expect(calls).toHaveLength(300);
    expect(new Set(calls.map((c) => c.userId)).size).toBe(300);
    expect(await db.prisma.identity.count({ where: { type: 'primary' } })).toBe(300);
    const scans = await db.prisma.identityScan.findMany();
    const day = 24 * 3600_000;
    for (const scan of scans) {
      expect(scan.scannedAt).not.toBeNull();
      const next = scan.nextScanAt.getTime() - Date.now();
      expect(next).toBeGreaterThan(0.85 * day);
      expect(next).toBeLessThan(1.15 * day);
    }
    expect(new Set(scans.map((s) => s.nextScanAt.getTime())).size).toBeGreaterThan(250);
    const again = await Promise.all([job(0).sweep(), job(1).sweep()]);
    expect(again[0].claimed + again[1].claimed).toBe(0);
  }, 120_000); // 300 mailboxes: 27 s alone on a loaded 2-core machine

  it('steady state: an unchanged re-scan only records the sighting; a change in the same sweep is applied with its event', async () => {
    const seeded = await seedDelegatedMailboxes(emulator, db.prisma, config, 40, {
      expiresInMs: -1000,
    });
    await due(seeded.map((m) => m.mailboxId));
    expect((await job(0).sweep()).scanned).toBe(40);
    const before = new Map((await db.prisma.identity.findMany()).map((i) => [i.id, i]));
    expect(before.size).toBe(40);
    const since = new Date();
    const changed = seeded[7];
    emulator.control.addAlias(changed.msUserId, `smtp:extra-${changed.mailboxId}@contoso.com`);
    await db.prisma.identityScan.updateMany({ data: { nextScanAt: new Date(Date.now() - 1000) } });

    const [a, b] = await Promise.all([job(0).sweep(), job(1).sweep()]);
    expect(a.scanned + b.scanned).toBe(40);
    expect(a.failed + b.failed).toBe(0);
    const after = await db.prisma.identity.findMany();
    expect(after).toHaveLength(41);
    for (const [id, old] of before) {
      const now = after.find((i) => i.id === id)!;
      expect(now).toMatchObject({ status: 'active', type: 'primary', email: old.email });
      expect(now.lastSeenAt!.getTime()).toBeGreaterThanOrEqual(since.getTime());
    }
    const added = after.filter((i) => !before.has(i.id));
    expect(added).toMatchObject([{ mailboxId: changed.mailboxId, type: 'alias' }]);
    for (const scan of await db.prisma.identityScan.findMany()) {
      expect(scan).toMatchObject({ lastError: null, lockedBy: null, lockedUntil: null });
      expect(scan.scannedAt!.getTime()).toBeGreaterThanOrEqual(since.getTime());
      expect(scan.nextScanAt.getTime()).toBeGreaterThan(Date.now() + 0.85 * 24 * 3600_000);
    }
    const events = await db.prisma.outboxEvent.findMany({
      where: { createdAt: { gte: since }, name: { startsWith: 'identity.' } },
    });
    expect(events.map((e) => [e.name, (e.payload as { email: string }).email])).toEqual([
      ['identity.discovered', `extra-${changed.mailboxId}@contoso.com`],
    ]);
    expect((await job(1).sweep()).claimed).toBe(0);
  });

  it('recording many unchanged re-scans at once: one row per mailbox (the later wins), a missing scan row created', async () => {
    const [m1, m2] = await seedDelegatedMailboxes(emulator, db.prisma, config, 2);
    await due([m1.mailboxId]);
    const identity = await db.prisma.identity.create({
      data: {
        id: `id-${m1.mailboxId}`,
        mailboxId: m1.mailboxId,
        workspaceId: 'ws-refresh',
        email: m1.email,
        type: 'primary',
        source: 'discovered',
      },
    });
    const t0 = new Date(Date.now() - 5000);
    const t1 = new Date();
    const next = (d: Date) => new Date(d.getTime() + 3600_000);
    await instances[0].get(IdentityScanRepository).recordSeenMany([
      { mailboxId: m1.mailboxId, identityIds: [identity.id], now: t0, nextScanAt: next(t0) },
      { mailboxId: m1.mailboxId, identityIds: [identity.id], now: t1, nextScanAt: next(t1) },
      { mailboxId: m2.mailboxId, identityIds: [], now: t1, nextScanAt: next(t1) },
    ]);
    const scans = await db.prisma.identityScan.findMany({ orderBy: { mailboxId: 'asc' } });
    expect(scans).toHaveLength(2);
    for (const scan of scans) {
      expect(scan.scannedAt).toEqual(t1);
      expect(scan.nextScanAt).toEqual(next(t1));
    }
    const seen = await db.prisma.identity.findUniqueOrThrow({ where: { id: identity.id } });
    expect(seen.lastSeenAt).toEqual(t1);
  });

  it('a Graph 503 for one mailbox does not stop the others, and is retried later', async () => {
    const seeded = await seedDelegatedMailboxes(emulator, db.prisma, config, 5, {
      expiresInMs: -1000,
    });
    await due(seeded.map((m) => m.mailboxId));
    const broken = seeded[2];
    emulator.control.addFault({
      method: 'GET',
      path: '/v1.0/me',
      userId: broken.msUserId,
      response: {
        status: 503,
        body: { error: { code: 'serviceUnavailable', message: 'down' } },
        headers: { 'Retry-After': '0' },
      },
    });
    const result = await job(0).sweep();
    expect(result).toMatchObject({ claimed: 5, scanned: 4, failed: 1 });
    const scans = await db.prisma.identityScan.findMany();
    const failed = scans.find((s) => s.mailboxId === broken.mailboxId);
    expect(failed).toMatchObject({ scannedAt: null, lastError: 'graph_503_serviceUnavailable' });
    expect(failed!.nextScanAt.getTime()).toBeGreaterThan(Date.now() + 10 * 60_000);
    expect(scans.filter((s) => s.scannedAt !== null)).toHaveLength(4);
    const mailbox = await db.prisma.mailbox.findUniqueOrThrow({ where: { id: broken.mailboxId } });
    expect(mailbox.status).toBe('active');

    emulator.control.clearFaults();
    await db.prisma.identityScan.update({
      where: { mailboxId: broken.mailboxId },
      data: { nextScanAt: new Date(Date.now() - 1000) },
    });
    expect(await job(1).sweep()).toMatchObject({ claimed: 1, scanned: 1 });
  });

  it('a revoked grant ends in needs_reauth, with no Graph call', async () => {
    const [m] = await seedDelegatedMailboxes(emulator, db.prisma, config, 1, {
      expiresInMs: -1000,
    });
    await due([m.mailboxId]);
    emulator.control.revokeRefreshTokens(m.msUserId);
    const result = await job(0).sweep();
    expect(result.failed).toBe(1);
    const mailbox = await db.prisma.mailbox.findUniqueOrThrow({
      where: { id: m.mailboxId },
      include: { identityScan: true },
    });
    expect(mailbox.status).toBe('needs_reauth');
    expect(mailbox.identityScan?.lastError).toBe('mailbox_needs_reauth');
    expect(meCalls()).toHaveLength(0);
    expect((await job(1).sweep()).claimed).toBe(0);
  });
});
