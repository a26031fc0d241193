import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import type { AppConfig } from '../../src/common/config/app-config.js';
import { MailboxGraphService } from '../../src/modules/mailbox/mailbox-graph.service.js';
import { MailboxTokenService } from '../../src/modules/mailbox/mailbox-token.service.js';
import type { M365Emulator } from '../../src/sandbox/emulator.js';
import { seedDelegatedMailboxes } from '../factories/delegated-mailbox.js';
import type { TestDatabase } from '../support/database.js';
import { type Instances, startInstances } from '../support/instances.js';

/**
 * Credentials read ahead with a sweep's batch (`prefetchDelegated`) and handed to the Graph
 * call. The seeded access tokens are not real ones: Graph answers 401 to any that is sent, so a
 * call that ends with a single 200 proves the prefetched token was not used.
 */
describe('prefetched delegated credentials (two service instances)', () => {
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

  const graph = (i: number) => instances[i].get(MailboxGraphService);
  const address = async (id: string) => {
    const m = await db.prisma.mailbox.findUniqueOrThrow({ where: { id } });
    return { id, tenantId: m.tenantId, msUserId: m.msUserId, connectionType: m.connectionType };
  };
  const me = (i: number, mailbox: Awaited<ReturnType<typeof address>>, options = {}) =>
    graph(i).call(mailbox, ({ client, path }) => client.api(path).select('id').get(), options);
  const meStatuses = () => emulator.control.requestLog({ path: '/v1.0/me' }).map((r) => r.status);
  const refreshGrants = () =>
    emulator.control.tokenLog({}).filter((g) => g.grantType === 'refresh_token');

  it('a fresh prefetched token is sent as it is: no token read, no refresh', async () => {
    const [m] = await seedDelegatedMailboxes(emulator, db.prisma, config, 1, {
      expiresInMs: -1000,
    });
    const mailbox = await address(m.mailboxId);
    await instances[0].get(MailboxTokenService).accessToken(m.mailboxId);
    emulator.control.clearLogs();
    const prefetched = await graph(0).prefetchDelegated([m.mailboxId]);
    expect(prefetched.size).toBe(1);
    await expect(me(0, mailbox, { credential: prefetched.get(m.mailboxId) })).resolves.toEqual(
      expect.objectContaining({ id: m.msUserId }),
    );
    expect(meStatuses()).toEqual([200]);
    expect(refreshGrants()).toHaveLength(0);
  });

  it('a prefetched token close to its expiry is refreshed first, never sent', async () => {
    const [m] = await seedDelegatedMailboxes(emulator, db.prisma, config, 1, {
      expiresInMs: 2 * 60_000,
    });
    const mailbox = await address(m.mailboxId);
    const prefetched = await graph(0).prefetchDelegated([m.mailboxId]);
    await me(0, mailbox, { credential: prefetched.get(m.mailboxId) });
    expect(meStatuses()).toEqual([200]);
    expect(refreshGrants()).toHaveLength(1);
  });

  it('refreshed by another instance after the batch read: the refused token is renewed with the stored one, no second refresh', async () => {
    const [m] = await seedDelegatedMailboxes(emulator, db.prisma, config, 1, {
      expiresInMs: 3600_000,
    });
    const mailbox = await address(m.mailboxId);
    const prefetched = await graph(0).prefetchDelegated([m.mailboxId]);
    // Instance 1 finds the stored token refused and refreshes it.
    await instances[1].get(MailboxTokenService).refreshNow(m.mailboxId, 'expired-access-0');
    expect(refreshGrants()).toHaveLength(1);

    await me(0, mailbox, { credential: prefetched.get(m.mailboxId) });
    expect(meStatuses()).toEqual([401, 200]);
    expect(refreshGrants()).toHaveLength(1);
  });

  it('a mailbox needing re-authentication or disconnected is not prefetched', async () => {
    const [a, b, c] = await seedDelegatedMailboxes(emulator, db.prisma, config, 3);
    await db.prisma.mailbox.update({
      where: { id: a.mailboxId },
      data: { status: 'needs_reauth' },
    });
    await db.prisma.mailbox.update({
      where: { id: b.mailboxId },
      data: { disconnectedAt: new Date() },
    });
    const prefetched = await graph(0).prefetchDelegated([a, b, c].map((x) => x.mailboxId));
    expect([...prefetched.keys()]).toEqual([c.mailboxId]);
  });
});
