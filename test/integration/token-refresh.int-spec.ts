import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import type { AppConfig } from '../../src/common/config/app-config.js';
import { MailboxRefreshJob } from '../../src/modules/mailbox/mailbox-refresh.job.js';
import { MailboxTokenService } from '../../src/modules/mailbox/mailbox-token.service.js';
import type { M365Emulator } from '../../src/sandbox/emulator.js';
import { openRefreshToken, seedDelegatedMailboxes } from '../factories/delegated-mailbox.js';
import type { TestDatabase } from '../support/database.js';
import { type Instances, startInstances } from '../support/instances.js';

describe('token lifecycle against the emulator (two service instances)', () => {
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

  const job = (i: number) => instances[i].get(MailboxRefreshJob);
  const refreshCalls = (userId?: string) =>
    emulator.control.tokenLog({ grantType: 'refresh_token', userId });
  const makeDue = (mailboxId: string) =>
    db.prisma.mailboxCredential.update({
      where: { mailboxId },
      data: { nextRefreshAt: new Date(Date.now() - 1000) },
    });

  it('refreshes each of 200 due mailboxes exactly once and stores the newest refresh token', async () => {
    const seeded = await seedDelegatedMailboxes(emulator, db.prisma, config, 200);
    const [a, b] = await Promise.all([job(0).sweep(), job(1).sweep()]);
    expect(a.refreshed + b.refreshed).toBe(200);
    expect(a.refreshed).toBeGreaterThan(0);
    expect(b.refreshed).toBeGreaterThan(0);
    const calls = refreshCalls();
    expect(calls).toHaveLength(200);
    expect(new Set(calls.map((c) => c.userId)).size).toBe(200);
    expect(calls.every((c) => c.outcome === 'issued')).toBe(true);

    for (const m of seeded.slice(0, 20)) {
      const cred = await db.prisma.mailboxCredential.findUniqueOrThrow({
        where: { mailboxId: m.mailboxId },
      });
      const issued = emulator.store.grants.listRefreshTokens(m.msUserId);
      const newest = issued.reduce((x, y) => (y.issuedAt >= x.issuedAt ? y : x));
      expect(issued).toHaveLength(2);
      expect(openRefreshToken(config, m.mailboxId, cred.refreshToken as string)).toBe(newest.token);
      expect(cred.accessTokenExpiresAt?.getTime()).toBeGreaterThan(Date.now() + 50 * 60_000);
      expect(cred.lockedBy).toBeNull();
    }
    const after = await Promise.all([job(0).sweep(), job(1).sweep()]);
    expect(after[0].claimed + after[1].claimed).toBe(0);
  });

  it('a revoked grant → needs_reauth after one attempt, and no further token calls', async () => {
    const [m] = await seedDelegatedMailboxes(emulator, db.prisma, config, 1);
    emulator.control.revokeRefreshTokens(m.msUserId);
    const result = await job(0).sweep();
    expect(result.reauth).toBe(1);
    const mailbox = await db.prisma.mailbox.findUniqueOrThrow({
      where: { id: m.mailboxId },
      include: { credential: true },
    });
    expect(mailbox.status).toBe('needs_reauth');
    expect(mailbox.statusReason).toBe('invalid_grant');
    expect(mailbox.credential?.refreshToken).toBeNull();
    // The only mailbox of this test: every refresh call in the log is its own.
    expect(refreshCalls()).toHaveLength(1);
    expect(refreshCalls()[0]).toMatchObject({
      outcome: 'error',
      error: 'invalid_grant',
      errorCode: 50173,
    });
    const event = await db.prisma.outboxEvent.findFirst({
      where: { name: 'mailbox.reauth-required' },
    });
    expect(event?.payload).toMatchObject({ mailboxId: m.mailboxId, reason: 'invalid_grant' });
    expect(
      await db.prisma.auditLog.count({
        where: { targetId: m.mailboxId, action: 'mailbox.reauth_required' },
      }),
    ).toBe(1);

    await db.prisma.mailboxCredential.update({
      where: { mailboxId: m.mailboxId },
      data: { nextRefreshAt: null },
    });
    await Promise.all([job(0).sweep(), job(1).sweep()]);
    expect(refreshCalls()).toHaveLength(1);
  });

  it('429 with Retry-After → not retried before it, then succeeds', async () => {
    const [m] = await seedDelegatedMailboxes(emulator, db.prisma, config, 1);
    emulator.control.failNext({
      method: 'POST',
      path: '/*/oauth2/v2.0/token',
      status: 429,
      headers: { 'Retry-After': '120' },
      body: { error: 'temporarily_unavailable' },
    });
    const before = Date.now();
    expect((await job(0).sweep()).retry).toBe(1);
    const cred = await db.prisma.mailboxCredential.findUniqueOrThrow({
      where: { mailboxId: m.mailboxId },
    });
    expect(cred.refreshAttempts).toBe(1);
    expect(cred.nextRefreshAt!.getTime()).toBeGreaterThanOrEqual(before + 120_000);
    const mailbox = await db.prisma.mailbox.findUniqueOrThrow({ where: { id: m.mailboxId } });
    expect(mailbox.status).toBe('active');

    expect((await job(1).sweep()).claimed).toBe(0);
    await makeDue(m.mailboxId);
    expect((await job(1).sweep()).refreshed).toBe(1);
    const calls = refreshCalls(m.msUserId);
    expect(calls.map((c) => c.outcome)).toEqual(['issued']);
  });

  it('5xx → backs off, then succeeds', async () => {
    const [m] = await seedDelegatedMailboxes(emulator, db.prisma, config, 1);
    emulator.control.failNext({
      method: 'POST',
      path: '/*/oauth2/v2.0/token',
      times: 2,
      status: 503,
      body: { error: 'temporarily_unavailable' },
    });
    const before = Date.now();
    expect((await job(0).sweep()).retry).toBe(1);
    let cred = await db.prisma.mailboxCredential.findUniqueOrThrow({
      where: { mailboxId: m.mailboxId },
    });
    expect(cred.nextRefreshAt!.getTime()).toBeGreaterThanOrEqual(before + 30_000);
    await makeDue(m.mailboxId);
    expect((await job(0).sweep()).retry).toBe(1);
    cred = await db.prisma.mailboxCredential.findUniqueOrThrow({
      where: { mailboxId: m.mailboxId },
    });
    expect(cred.refreshAttempts).toBe(2);
    expect(cred.nextRefreshAt!.getTime()).toBeGreaterThanOrEqual(Date.now() + 55_000);
    await makeDue(m.mailboxId);
    expect((await job(0).sweep()).refreshed).toBe(1);
    cred = await db.prisma.mailboxCredential.findUniqueOrThrow({
      where: { mailboxId: m.mailboxId },
    });
    expect(cred).toMatchObject({ refreshAttempts: 0, lastRefreshError: null });
    // The next refresh is scheduled (issue 10.5): 10 minutes before a 60–90 minute token expires.
    expect(cred.accessTokenExpiresAt!.getTime() - cred.nextRefreshAt!.getTime()).toBe(10 * 60_000);
  });

  it('a bad client secret is an operator problem: no re-auth, retried much later', async () => {
    const [m] = await seedDelegatedMailboxes(emulator, db.prisma, config, 1);
    emulator.control.failNext({
      method: 'POST',
      path: '/*/oauth2/v2.0/token',
      status: 401,
      body: { error: 'invalid_client', error_codes: [7000215] },
    });
    expect((await job(0).sweep()).retry).toBe(1);
    const mailbox = await db.prisma.mailbox.findUniqueOrThrow({
      where: { id: m.mailboxId },
      include: { credential: true },
    });
    expect(mailbox.status).toBe('active');
    expect(mailbox.credential?.nextRefreshAt!.getTime()).toBeGreaterThan(Date.now() + 10 * 60_000);
  });

  it('hands Graph callers a valid token, refreshing on demand once even when asked concurrently', async () => {
    const [m] = await seedDelegatedMailboxes(emulator, db.prisma, config, 1, {
      expiresInMs: -1000,
    });
    const tokens = [instances[0].get(MailboxTokenService), instances[1].get(MailboxTokenService)];
    const got = await Promise.all([0, 1, 0, 1].map((i) => tokens[i].accessToken(m.mailboxId)));
    expect(new Set(got).size).toBe(1);
    expect(got[0]).not.toContain('expired-access');
    expect(refreshCalls()).toHaveLength(1);
    expect(await tokens[0].accessToken(m.mailboxId)).toBe(got[0]);
    expect(refreshCalls()).toHaveLength(1);
  });

  it('refuses a token for a mailbox that needs re-authentication', async () => {
    const [m] = await seedDelegatedMailboxes(emulator, db.prisma, config, 1, {
      expiresInMs: -1000,
    });
    emulator.control.revokeRefreshTokens(m.msUserId);
    const tokens = instances[0].get(MailboxTokenService);
    await expect(tokens.accessToken(m.mailboxId)).rejects.toMatchObject({
      code: 'mailbox_needs_reauth',
    });
    await expect(tokens.accessToken(m.mailboxId)).rejects.toMatchObject({
      code: 'mailbox_needs_reauth',
    });
    expect(refreshCalls()).toHaveLength(1);
  });
});
