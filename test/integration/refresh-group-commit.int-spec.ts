import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import type { AppConfig } from '../../src/common/config/app-config.js';
import { MailboxRefreshJob } from '../../src/modules/mailbox/mailbox-refresh.job.js';
import type { M365Emulator } from '../../src/sandbox/emulator.js';
import { openRefreshToken, seedDelegatedMailboxes } from '../factories/delegated-mailbox.js';
import type { TestDatabase } from '../support/database.js';
import { type Instances, startInstances } from '../support/instances.js';

// The refresh sweep stores the tokens of refreshes that finish together in one statement
// (group commit). Each mailbox must still get its own tokens and its own bookkeeping.
describe('token refresh bookkeeping, group-committed', () => {
  let t: Instances;
  let db: TestDatabase;
  let emulator: M365Emulator;
  let config: AppConfig;
  let app: INestApplication;

  beforeAll(async () => {
    t = await startInstances(1, { TOKEN_REFRESH_CONCURRENCY: '16' });
    ({ db, emulator, config } = t);
    [app] = t.apps;
  });
  afterAll(() => t.close());

  it('120 mailboxes refreshed at concurrency 16: each stores its own newest tokens; only token_refresh_failing is cleared', async () => {
    const seeded = await seedDelegatedMailboxes(emulator, db.prisma, config, 120);
    const failing = seeded.slice(0, 10).map((m) => m.mailboxId);
    const otherReason = seeded[10].mailboxId;
    const since = new Date(Date.now() - 3600_000);
    await db.prisma.mailbox.updateMany({
      where: { id: { in: failing } },
      data: { statusReason: 'token_refresh_failing', statusReasonSince: since },
    });
    await db.prisma.mailbox.update({
      where: { id: otherReason },
      data: { statusReason: 'mailbox_not_licensed', statusReasonSince: since },
    });
    const started = new Date();

    const result = await app.get(MailboxRefreshJob).sweep();

    expect(result).toMatchObject({ claimed: 120, refreshed: 120, errors: 0 });
    const creds = await db.prisma.mailboxCredential.findMany({
      where: { mailboxId: { in: seeded.map((m) => m.mailboxId) } },
      include: { mailbox: true },
    });
    expect(creds).toHaveLength(120);
    const byId = new Map(creds.map((c) => [c.mailboxId, c]));
    for (const m of seeded) {
      const cred = byId.get(m.mailboxId)!;
      const issued = emulator.store.grants.listRefreshTokens(m.msUserId);
      const newest = issued.reduce((x, y) => (y.issuedAt >= x.issuedAt ? y : x));
      expect(openRefreshToken(config, m.mailboxId, cred.refreshToken as string)).toBe(newest.token);
      expect(cred).toMatchObject({ refreshAttempts: 0, lockedBy: null, lockedUntil: null });
      expect(cred.nextRefreshAt!.getTime()).toBeGreaterThan(started.getTime());
      expect(cred.mailbox.tokenRefreshedAt!.getTime()).toBeGreaterThanOrEqual(
        started.getTime() - 1000,
      );
    }
    for (const id of failing) {
      expect(byId.get(id)!.mailbox).toMatchObject({ statusReason: null, statusReasonSince: null });
    }
    expect(byId.get(otherReason)!.mailbox).toMatchObject({
      statusReason: 'mailbox_not_licensed',
      statusReasonSince: since,
    });
    // Nothing left due: a second sweep claims nothing and calls Microsoft no more.
    const calls = emulator.control.tokenLog({ grantType: 'refresh_token' }).length;
    expect((await app.get(MailboxRefreshJob).sweep()).claimed).toBe(0);
    expect(emulator.control.tokenLog({ grantType: 'refresh_token' })).toHaveLength(calls);
  });
});
