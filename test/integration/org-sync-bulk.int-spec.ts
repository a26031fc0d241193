import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { OrganizationSyncJob } from '../../src/modules/admin-consent/organization-sync.job.js';
import type { M365Emulator } from '../../src/sandbox/emulator.js';
import { SANDBOX_APP } from '../../src/sandbox/seed.js';
import { buildOrganization, makeDue } from '../factories/organization.js';
import type { TestDatabase } from '../support/database.js';
import { type Instances, startInstances } from '../support/instances.js';

const USERS = 2500;
const SPEC = {
  sharedEvery: 10,
  disabledEvery: 7,
  noMailboxEvery: 13,
  roomEvery: 50,
  equipmentEvery: 97,
};

describe('organization sync of a 2,500-user tenant (two service instances)', () => {
  let t: Instances;
  let db: TestDatabase;
  let emulator: M365Emulator;
  let apps: INestApplication[];
  let tenantId: string;
  let organizationId: string;
  let counts: Record<string, number>;

  beforeAll(async () => {
    t = await startInstances(2);
    ({ db, emulator, apps } = t);
    const bulk = emulator.control.seedBulkTenant({ users: USERS, name: 'bulk', ...SPEC });
    ({ tenantId, counts } = bulk);
    emulator.control.grantAdminConsent(tenantId, SANDBOX_APP.clientId);
    organizationId = (await buildOrganization(db.prisma, { workspaceId: 'ws-bulk', tenantId })).id;
  });
  afterAll(() => t.close());

  const sweepBoth = () => Promise.all(apps.map((app) => app.get(OrganizationSyncJob).sweep()));

  it('reads 3 pages, keeps every user with a mailbox once (shared included), one sync across two instances', async () => {
    const [a, b] = await sweepBoth();
    expect(a.claimed + b.claimed).toBe(1);
    // A failed sync records why: shown with the count when this fails.
    const after = await db.prisma.organization.findUniqueOrThrow({ where: { id: organizationId } });
    expect({ synced: a.synced + b.synced, lastError: after.lastError }).toEqual({
      synced: 1,
      lastError: null,
    });

    const graph = emulator.control.requestLog({ tokenKind: 'app' });
    const lists = graph.filter((r) => r.path === '/v1.0/users');
    expect(lists).toHaveLength(Math.ceil(USERS / 999));
    // Disabled accounts with a mailbox (people, shared, rooms, equipment) are read 20 per $batch.
    const disabled = counts.shared + counts.disabled + counts.room + counts.equipment;
    const batches = graph.filter((r) => r.path === '/v1.0/$batch');
    expect(batches.length).toBeGreaterThanOrEqual(Math.ceil(disabled / 20));
    expect(batches.length).toBeLessThanOrEqual(Math.ceil(disabled / 20) + lists.length);
    const items = graph.filter((r) => r.path.endsWith('/mailboxSettings'));
    expect(items).toHaveLength(disabled);
    expect(graph.length).toBe(lists.length + batches.length + items.length);

    const mailboxes = await db.prisma.mailbox.findMany({
      where: { organizationId, disconnectedAt: null },
      select: { msUserId: true, email: true },
    });
    expect(mailboxes).toHaveLength(counts.user + counts.shared);
    expect(new Set(mailboxes.map((m) => m.msUserId)).size).toBe(mailboxes.length);
    expect(mailboxes.every((m) => /^(user|shared)\d{5}@/.test(m.email))).toBe(true);
    expect(await db.prisma.identity.count({ where: { type: 'primary' } })).toBe(mailboxes.length);

    const org = await db.prisma.organization.findUniqueOrThrow({ where: { id: organizationId } });
    expect(org).toMatchObject({ status: 'active', lastError: null, lockedUntil: null });
    expect(org.lastSyncCounts).toMatchObject({
      listed: USERS,
      mailboxes: counts.user + counts.shared,
      sharedMailboxes: counts.shared,
      added: counts.user + counts.shared,
      excluded: {
        withoutMailbox: counts.noMailbox,
        disabledAccounts: counts.disabled,
        roomsAndEquipment: counts.room + counts.equipment,
      },
    });
    const hours = (org.nextSyncAt.getTime() - Date.now()) / 3600_000;
    expect(hours).toBeGreaterThan(6 * 0.85);
    expect(hours).toBeLessThan(6 * 1.15);
    expect(
      await db.prisma.outboxEvent.count({ where: { name: { startsWith: 'identity.' } } }),
    ).toBe(0);
  });

  it('the next sync finds nothing to change and writes no events', async () => {
    emulator.control.clearLogs();
    await makeDue(db.prisma, organizationId);
    const events = await db.prisma.outboxEvent.count();
    const [a, b] = await sweepBoth();
    expect(a.synced + b.synced).toBe(1);
    const org = await db.prisma.organization.findUniqueOrThrow({ where: { id: organizationId } });
    expect(org.lastSyncCounts).toMatchObject({
      added: 0,
      retired: 0,
      identitiesAdded: 0,
      identitiesRemoved: 0,
    });
    expect(await db.prisma.outboxEvent.count()).toBe(events);
    expect(
      emulator.control.requestLog({ path: /^\/v1\.0\/users$/, tokenKind: 'app' }),
    ).toHaveLength(3);
  });
});
