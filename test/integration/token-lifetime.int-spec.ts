import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import type { AppConfig } from '../../src/common/config/app-config.js';
import { MailboxRefreshJob } from '../../src/modules/mailbox/mailbox-refresh.job.js';
import { MailboxService } from '../../src/modules/mailbox/mailbox.service.js';
import { MailboxTokenService } from '../../src/modules/mailbox/mailbox-token.service.js';
import type { M365Emulator } from '../../src/sandbox/emulator.js';
import { CONTOSO_TENANT_ID, SANDBOX_APP } from '../../src/sandbox/seed.js';
import { seedDelegatedMailboxes } from '../factories/delegated-mailbox.js';
import type { TestDatabase } from '../support/database.js';
import { type Instances, startInstances } from '../support/instances.js';

/**
 * Issue 10.5 in the suite's time: the real setting (5-minute tokens, 10 minutes, revocation
 * noticed within a refresh interval) scaled by 1/10 — 30-second tokens for 60 s. The sweep
 * runs every second on both instances (finer than a scaled minute: more chances to loop).
 */
const LIFETIME_S = 30;
const RUN_MS = 60_000;
const TICK_MS = 1_000;
const SCOPES = ['openid', 'offline_access', 'User.Read', 'Mail.ReadWrite', 'Mail.Send'];

describe('issue 10.5 short access-token lifetimes (two service instances)', () => {
  let t: Instances;
  let db: TestDatabase;
  let emulator: M365Emulator;
  let config: AppConfig;
  let apps: INestApplication[];

  beforeAll(async () => {
    t = await startInstances(2);
    ({ db, emulator, config, apps } = t);
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    emulator.control.setTokenLifetime({ accessTokenSec: LIFETIME_S });
    emulator.control.clearFaults();
    emulator.control.clearLogs();
    await db.prisma.mailbox.deleteMany();
  });

  const job = (i: number) => apps[i].get(MailboxRefreshJob);
  const tokens = (i: number) => apps[i].get(MailboxTokenService);
  const sweepBoth = () => Promise.all([job(0).sweep(), job(1).sweep()]);
  const refreshCalls = (userId?: string, since?: Date) =>
    emulator.control.tokenLog({ grantType: 'refresh_token', userId, since });

  /** Connects `count` emulator users the way the sign-in callback does (30-second tokens). */
  async function connect(count: number): Promise<{ mailboxId: string; msUserId: string }[]> {
    const service = apps[0].get(MailboxService);
    await db.prisma.workspace.createMany({ data: [{ id: 'ws-short' }], skipDuplicates: true });
    const connected = [];
    for (let i = 0; i < count; i += 1) {
      const user = emulator.control.addUser(CONTOSO_TENANT_ID, {
        displayName: `Short ${i}`,
        mail: `short-${Date.now()}-${i}@contoso.com`,
      });
      const issued = emulator.control.issueUserTokens(user.id, SANDBOX_APP.clientId, SCOPES);
      const { mailbox } = await service.connectDelegated(
        { userId: 'user-a', workspaceId: 'ws-short' },
        {
          tenantId: CONTOSO_TENANT_ID,
          msUserId: user.id,
          email: user.mail as string,
          displayName: user.displayName,
          tokens: {
            accessToken: issued.accessToken,
            refreshToken: issued.refreshToken,
            expiresAt: new Date(Date.now() + issued.expiresIn * 1000),
            scope: SCOPES.join(' '),
          },
        },
      );
      connected.push({ mailboxId: mailbox.id, msUserId: user.id });
    }
    return connected;
  }

  /** Every tick: a sweep on both instances, and every mailbox asks for a token on demand. */
  async function runFor(ms: number, mailboxIds: string[], until?: () => Promise<boolean>) {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      const started = Date.now();
      await Promise.all([sweepBoth(), ...mailboxIds.map((id, i) => tokens(i % 2).accessToken(id))]);
      if (until && (await until())) return;
      await sleep(Math.max(0, TICK_MS - (Date.now() - started)));
    }
  }

  it('issue 10.5 a sweep refreshes each due credential once, then schedules the next refresh', async () => {
    const seeded = await seedDelegatedMailboxes(emulator, db.prisma, config, 20);
    const [a, b] = await sweepBoth();
    expect(a.refreshed + b.refreshed).toBe(20);
    expect(a.claimed + b.claimed).toBe(20);
    for (const m of seeded) expect(refreshCalls(m.msUserId)).toHaveLength(1);
    expect(refreshCalls()).toHaveLength(20);

    const creds = await db.prisma.mailboxCredential.findMany();
    for (const cred of creds) {
      const issued = cred.accessTokenIssuedAt!.getTime();
      expect(cred.accessTokenExpiresAt!.getTime() - issued).toBeCloseTo(LIFETIME_S * 1000, -3);
      // 40 % of a 30-second lifetime ahead of expiry: 18 s after issue.
      expect(cred.nextRefreshAt!.getTime() - issued).toBeCloseTo(18_000, -3);
    }
    const again = await sweepBoth();
    expect(again[0].claimed + again[1].claimed).toBe(0);
    expect(refreshCalls()).toHaveLength(20);
  });

  it('issue 10.5 accessToken() hands out a fresh short-lived token without refreshing it', async () => {
    const [m] = await connect(1);
    const got = await Promise.all(
      Array.from({ length: 10 }, (_, i) => tokens(i % 2).accessToken(m.mailboxId)),
    );
    expect(new Set(got).size).toBe(1);
    expect(refreshCalls()).toHaveLength(0);
  });

  it('issue 10.5 50 mailboxes, 30-second tokens for 60 s: ≤ 3 token calls each; revoked grants → needs_reauth at the next due refresh, then no token calls', async () => {
    const connected = await connect(50);
    const ids = connected.map((m) => m.mailboxId);
    await runFor(RUN_MS, ids);

    const perMailbox = connected.map((m) => refreshCalls(m.msUserId).length);
    expect(Math.max(...perMailbox)).toBeLessThanOrEqual(3);
    // The tokens were kept alive: a 30-second token needs at least two refreshes in 60 s.
    expect(Math.min(...perMailbox)).toBeGreaterThanOrEqual(2);
    expect(refreshCalls().every((c) => c.outcome === 'issued')).toBe(true);

    const revoked = connected.slice(0, 10);
    const revokedIds = revoked.map((m) => m.mailboxId);
    const due = await db.prisma.mailboxCredential.findMany({
      where: { mailboxId: { in: revokedIds } },
    });
    const revokedAt = new Date();
    for (const m of revoked) emulator.control.revokeRefreshTokens(m.msUserId);
    const allReauth = async () =>
      (await db.prisma.mailbox.count({
        where: { id: { in: revokedIds }, status: 'needs_reauth' },
      })) === revoked.length;
    const others = ids.slice(10);
    await runFor(30_000, others, allReauth);
    expect(Date.now() - revokedAt.getTime()).toBeLessThanOrEqual(18_000 + 2 * TICK_MS + 500);

    // Noticed at each mailbox's next scheduled refresh (one tick of slack): that refresh is
    // at most one refresh interval away — 18 s here, 3 minutes with 5-minute tokens.
    const latestDue = Math.max(...due.map((c) => c.nextRefreshAt!.getTime()));
    expect(latestDue - revokedAt.getTime()).toBeLessThanOrEqual(18_000);
    expect(Date.now()).toBeLessThanOrEqual(latestDue + 2 * TICK_MS + 500);
    expect(await allReauth()).toBe(true);
    const rows = await db.prisma.mailbox.findMany({ where: { id: { in: revokedIds } } });
    for (const row of rows) {
      expect(row).toMatchObject({ status: 'needs_reauth', statusReason: 'invalid_grant' });
      expect(row.statusReasonSince!.getTime()).toBeGreaterThanOrEqual(revokedAt.getTime());
    }

    const after = new Date();
    await runFor(5_000, others);
    // Failed token calls name no user: the revoked ones are the only failures.
    const failed = refreshCalls(undefined, revokedAt).filter((c) => c.outcome === 'error');
    expect(failed).toHaveLength(revoked.length);
    expect(failed.every((c) => c.error === 'invalid_grant')).toBe(true);
    expect(refreshCalls(undefined, after).filter((c) => c.outcome === 'error')).toHaveLength(0);
    for (const m of revoked) {
      expect(refreshCalls(m.msUserId, revokedAt)).toHaveLength(0);
      await expect(tokens(0).accessToken(m.mailboxId)).rejects.toMatchObject({
        code: 'mailbox_needs_reauth',
      });
    }
    expect(refreshCalls(undefined, after).filter((c) => c.outcome === 'error')).toHaveLength(0);
    expect(await db.prisma.mailbox.count({ where: { id: { in: others }, status: 'active' } })).toBe(
      40,
    );
  }, 150_000);
});
