import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import type { AppConfig } from '../../src/common/config/app-config.js';
import { findProjectRoot } from '../../src/common/database/migrate.js';
import { IdentityScanJob } from '../../src/modules/identity/identity-scan.job.js';
import type { M365Emulator } from '../../src/sandbox/emulator.js';
import { seedDelegatedMailboxes } from '../factories/delegated-mailbox.js';
import type { TestDatabase } from '../support/database.js';
import { type Instances, startInstances } from '../support/instances.js';
import { childServiceEnv } from '../support/child-service.js';

const MAILBOXES = 80;

/**
 * The re-scan's worker goes on while an unchanged re-scan's sighting is group-committed. A
 * sweep killed (SIGKILL, the built service in a child process) in the middle loses nothing:
 * every mailbox is either recorded or still due under its lease, and is re-scanned once the
 * lease expires.
 */
describe('crash safety of the identity re-scan (SIGKILL in a child process)', () => {
  let t: Instances;
  let db: TestDatabase;
  let emulator: M365Emulator;
  let config: AppConfig;
  let app: INestApplication;
  let childEnv: Record<string, string>;

  beforeAll(async () => {
    t = await startInstances(1);
    ({ db, emulator, config } = t);
    [app] = t.apps;
    childEnv = childServiceEnv(db.url, config, emulator);
  });
  afterAll(() => t.close());

  const makeDue = () =>
    db.prisma.identityScan.updateMany({ data: { nextScanAt: new Date(Date.now() - 1000) } });

  /** Starts a sweep in a child process and kills it once Graph has answered `after` re-scans. */
  async function sweepKilledAfter(after: number): Promise<string | null> {
    const worker = join(findProjectRoot(), 'test', 'support', 'rescan-worker.mjs');
    const child = spawn(process.execPath, [worker], {
      env: childEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise<string | null>((resolve) =>
      child.on('exit', (_code, signal) => resolve(signal ?? output)),
    );
    const me = () => emulator.control.requestLog({ path: '/v1.0/me' }).length;
    while (me() < after && child.exitCode === null) await new Promise((r) => setTimeout(r, 5));
    child.kill('SIGKILL');
    return exited;
  }

  it('killed in the middle of a sweep: every mailbox is recorded or still due under its lease, and is re-scanned after the lease', async () => {
    const seeded = await seedDelegatedMailboxes(emulator, db.prisma, config, MAILBOXES, {
      expiresInMs: -1000,
    });
    await db.prisma.identityScan.createMany({
      data: seeded.map((m) => ({ mailboxId: m.mailboxId, nextScanAt: new Date(0) })),
    });
    // First scan (creates the identities); the next ones are unchanged re-scans.
    expect((await app.get(IdentityScanJob).sweep()).scanned).toBe(MAILBOXES);
    await makeDue();
    emulator.control.clearLogs();
    emulator.store.faults.globalLatencyMs = 30;
    const since = new Date();

    expect(await sweepKilledAfter(MAILBOXES / 2)).toBe('SIGKILL');
    emulator.store.faults.globalLatencyMs = 0;
    const scans = await db.prisma.identityScan.findMany();
    const recorded = scans.filter((s) => s.scannedAt! >= since);
    const left = scans.filter((s) => s.scannedAt! < since);
    expect(recorded.length + left.length).toBe(MAILBOXES);
    for (const s of recorded) {
      expect(s).toMatchObject({ lockedUntil: null, lockedBy: null });
      expect(s.nextScanAt.getTime()).toBeGreaterThan(Date.now());
    }
    for (const s of left) {
      expect(s.nextScanAt.getTime()).toBeLessThanOrEqual(Date.now());
      expect(s.lastError).toBeNull();
    }
    // Mailboxes claimed by the killed sweep keep their lease until it expires.
    expect((await app.get(IdentityScanJob).sweep()).claimed).toBe(
      left.filter((s) => s.lockedUntil === null).length,
    );
    await db.prisma.identityScan.updateMany({
      where: { lockedUntil: { not: null } },
      data: { lockedUntil: new Date(Date.now() - 1000) },
    });
    await app.get(IdentityScanJob).sweep();
    for (const s of await db.prisma.identityScan.findMany()) {
      expect(s.scannedAt!.getTime()).toBeGreaterThanOrEqual(since.getTime());
      expect(s).toMatchObject({ lockedUntil: null, lastError: null });
      expect(s.nextScanAt.getTime()).toBeGreaterThan(Date.now());
    }
    expect(await db.prisma.identity.count({ where: { status: 'active' } })).toBe(MAILBOXES);
  }, 120_000);
});
