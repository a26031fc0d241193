import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { IdentityQueryService } from '../../src/modules/identity/identity-query.service.js';
import { buildMailbox } from '../factories/mailbox.js';
import { createTestApp, type TestApp } from '../support/app.js';

/**
 * The mailbox listings' identities and scan state come from one statement; what it returns must
 * be what the rows hold: types, dates, stored pace JSON, the order (type, then email).
 */
describe('IdentityQueryService.forMailboxes (integration, real PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('groups identities by mailbox in type then email order, with the scan row when there is one', async () => {
    const db = t.db.prisma;
    const workspaceId = `ws-${randomUUID()}`;
    const [scanned, empty] = await Promise.all([
      buildMailbox(db, { workspaceId }),
      buildMailbox(db, { workspaceId }),
    ]);
    const identity = (email: string, type: 'primary' | 'alias' | 'send_as', extra = {}) => ({
      id: randomUUID(),
      mailboxId: scanned.id,
      workspaceId,
      email,
      type,
      source: 'discovered' as const,
      ...extra,
    });
    const seenAt = new Date('2026-11-29T10:11:12.345Z');
    await db.identity.createMany({
      data: [
        identity('b@contoso.test', 'alias'),
        identity('z@contoso.test', 'primary', { lastSeenAt: seenAt, verifiedAt: seenAt }),
        identity('a@contoso.test', 'alias', {
          paceOverride: { dailyLimit: 40 },
          status: 'inactive',
        }),
        identity('c@contoso.test', 'send_as'),
      ],
    });
    await db.identityScan.create({
      data: { mailboxId: scanned.id, scannedAt: seenAt, lastError: 'boom', nextScanAt: seenAt },
    });
    const stored = await db.identity.findMany({ where: { mailboxId: scanned.id } });
    const unknown = randomUUID();

    const found = await t.app
      .get(IdentityQueryService)
      .forMailboxes([scanned.id, empty.id, scanned.id, unknown]);

    expect([...found.keys()].sort()).toEqual([scanned.id, empty.id, unknown].sort());
    expect(found.get(empty.id)).toEqual({ identities: [], scan: undefined });
    expect(found.get(unknown)).toEqual({ identities: [], scan: undefined });
    const { identities, scan } = found.get(scanned.id)!;
    expect(scan).toEqual({ scannedAt: seenAt, lastError: 'boom' });
    expect(identities.map((i) => i.email)).toEqual([
      'z@contoso.test',
      'a@contoso.test',
      'b@contoso.test',
      'c@contoso.test',
    ]);
    for (const listed of identities) {
      const { workspaceId: _w, updatedAt: _u, ...row } = stored.find((s) => s.id === listed.id)!;
      expect(listed).toEqual(row);
    }
    expect(identities[1].paceOverride).toEqual({ dailyLimit: 40 });
    expect(identities[0].lastSeenAt).toEqual(seenAt);
    expect(identities[0].createdAt).toBeInstanceOf(Date);
  });

  it('answers an empty map for no mailboxes', async () => {
    expect((await t.app.get(IdentityQueryService).forMailboxes([])).size).toBe(0);
  });
});
