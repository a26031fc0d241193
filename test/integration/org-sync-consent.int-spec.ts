import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { OrganizationSyncJob } from '../../src/modules/admin-consent/organization-sync.job.js';
import { OrganizationService } from '../../src/modules/admin-consent/organization.service.js';
import type { M365Emulator } from '../../src/sandbox/emulator.js';
import { ADELE, CONTOSO_TENANT_ID, SANDBOX_APP, SUPPORT_MAILBOX } from '../../src/sandbox/seed.js';
import { buildOrganization, makeDue } from '../factories/organization.js';
import type { TestDatabase } from '../support/database.js';
import { type Instances, startInstances } from '../support/instances.js';

describe('organization sync: consent lost and back, failures, throttling, access policies', () => {
  let t: Instances;
  let db: TestDatabase;
  let emulator: M365Emulator;
  let app: INestApplication;
  let organizationId: string;

  beforeAll(async () => {
    t = await startInstances(1);
    ({ db, emulator } = t);
    [app] = t.apps;
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    emulator.control.clearFaults();
    emulator.control.clearLogs();
    emulator.control.removeApplicationAccessPolicy(CONTOSO_TENANT_ID);
    emulator.control.grantAdminConsent(CONTOSO_TENANT_ID, SANDBOX_APP.clientId);
    await db.prisma.mailbox.deleteMany();
    await db.prisma.organization.deleteMany();
    await db.prisma.outboxEvent.deleteMany();
    organizationId = (
      await buildOrganization(db.prisma, { workspaceId: 'ws-consent', tenantId: CONTOSO_TENANT_ID })
    ).id;
    expect((await sweep()).synced).toBe(1);
  });

  const sweep = () => app.get(OrganizationSyncJob).sweep();
  const org = () => db.prisma.organization.findUniqueOrThrow({ where: { id: organizationId } });
  const statuses = async () =>
    (
      await db.prisma.mailbox.findMany({
        where: { organizationId, disconnectedAt: null },
        orderBy: { email: 'asc' },
      })
    ).map((m) => `${m.email}:${m.status}:${m.statusReason ?? '-'}`);
  const events = (name: string) => db.prisma.outboxEvent.count({ where: { name } });

  it('service principal removed → needs_consent, mailboxes suspended; consent back (in Entra) → the next sync resumes them', async () => {
    expect(emulator.control.removeServicePrincipal(CONTOSO_TENANT_ID, SANDBOX_APP.clientId)).toBe(
      0,
    );
    await makeDue(db.prisma, organizationId);
    expect(await sweep()).toMatchObject({ consent_lost: 1 });
    expect(await org()).toMatchObject({
      status: 'needs_consent',
      statusReason: 'consent_revoked',
      lastError: 'token_unauthorized_client',
      lockedUntil: null,
    });
    expect(
      (await statuses()).every((s) => s.endsWith(':needs_reauth:organization_needs_consent')),
    ).toBe(true);
    expect(await events('organization.consent-revoked')).toBe(1);
    expect(
      await db.prisma.auditLog.count({
        where: { targetId: organizationId, action: 'organization.consent_lost' },
      }),
    ).toBe(1);
    const lostAt = (await org()).consentLostAt;

    await makeDue(db.prisma, organizationId);
    expect(await sweep()).toMatchObject({ consent_lost: 1 });
    expect(await org()).toMatchObject({ status: 'needs_consent', consentLostAt: lostAt });
    expect(await events('organization.consent-revoked')).toBe(1);
    expect(
      await db.prisma.auditLog.count({
        where: { targetId: organizationId, action: 'organization.consent_lost' },
      }),
    ).toBe(1);

    emulator.control.grantAdminConsent(CONTOSO_TENANT_ID, SANDBOX_APP.clientId);
    await makeDue(db.prisma, organizationId);
    expect(await sweep()).toMatchObject({ synced: 1 });
    expect(await org()).toMatchObject({
      status: 'active',
      statusReason: null,
      consentLostAt: null,
    });
    expect((await statuses()).every((s) => s.endsWith(':active:-'))).toBe(true);
    expect(await events('organization.consent-granted')).toBe(1);
  });

  it('Graph refusing a fresh app token (403 Authorization_RequestDenied) also means consent is gone', async () => {
    emulator.control.failNext({
      method: 'GET',
      path: '/v1.0/users',
      status: 403,
      body: { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges' } },
    });
    await makeDue(db.prisma, organizationId);
    expect(await sweep()).toMatchObject({ consent_lost: 1 });
    expect(await org()).toMatchObject({
      status: 'needs_consent',
      lastError: 'graph_403_Authorization_RequestDenied',
    });
  });

  it('right after a consent, a refusal is Entra still replicating: retried soon, not needs_consent', async () => {
    await db.prisma.organization.update({
      where: { id: organizationId },
      data: { grantedAt: new Date(), status: 'syncing', lastSyncAt: null },
    });
    emulator.control.revokeAdminConsent(CONTOSO_TENANT_ID, SANDBOX_APP.clientId);
    await makeDue(db.prisma, organizationId);
    expect(await sweep()).toMatchObject({ failed: 1 });
    const row = await org();
    expect(row).toMatchObject({
      status: 'syncing',
      lastError: 'consent_not_effective_yet',
      syncFailures: 1,
    });
    expect(row.nextSyncAt.getTime() - Date.now()).toBeLessThanOrEqual(60_000);
    expect((await statuses()).every((s) => s.endsWith(':active:-'))).toBe(true);
  });

  it('token endpoint down → retried after its Retry-After, organization and mailboxes unchanged', async () => {
    emulator.control.setTokenEndpointAvailable(false, 120);
    await makeDue(db.prisma, organizationId);
    try {
      expect(await sweep()).toMatchObject({ failed: 1 });
    } finally {
      emulator.control.setTokenEndpointAvailable(true);
    }
    const row = await org();
    expect(row).toMatchObject({
      status: 'active',
      lastError: 'token_temporarily_unavailable',
      syncFailures: 1,
    });
    expect(row.nextSyncAt.getTime() - Date.now()).toBeGreaterThan(110_000);
    expect((await statuses()).every((s) => s.endsWith(':active:-'))).toBe(true);
    expect(await sweep()).toMatchObject({ claimed: 0 });
  });

  it('a throttled $batch item is read again after its Retry-After; the shared mailbox stays', async () => {
    emulator.control.clearLogs();
    emulator.control.failNext({
      method: 'GET',
      path: `/v1.0/users/${SUPPORT_MAILBOX.id}/mailboxSettings`,
      status: 429,
      headers: { 'Retry-After': '1' },
      body: { error: { code: 'ApplicationThrottled', message: 'MailboxConcurrency' } },
    });
    await makeDue(db.prisma, organizationId);
    expect(await sweep()).toMatchObject({ synced: 1 });
    expect(await statuses()).toContain(`${SUPPORT_MAILBOX.mail}:active:-`);
    expect(
      emulator.control
        .requestLog({ path: `/v1.0/users/${SUPPORT_MAILBOX.id}/mailboxSettings` })
        .map((r) => r.status),
    ).toEqual([429, 200]);
    expect(emulator.control.requestLog({ path: /^\/v1\.0\/\$batch$/ })).toHaveLength(2);
  });

  it('an application access policy hiding the shared mailbox gives it its own reason; the rest stays active; lifting it clears the reason', async () => {
    emulator.control.setApplicationAccessPolicy({
      tenantId: CONTOSO_TENANT_ID,
      mailboxes: [SUPPORT_MAILBOX.mail],
    });
    await makeDue(db.prisma, organizationId);
    expect(await sweep()).toMatchObject({ synced: 1 });
    const denied = await statuses();
    expect(denied).toContain(`${SUPPORT_MAILBOX.mail}:error:application_access_denied`);
    expect(denied).toContain(`${ADELE.mail}:active:-`);
    expect(denied.filter((s) => s.endsWith(':active:-'))).toHaveLength(denied.length - 1);
    expect((await org()).lastSyncCounts).toMatchObject({ excluded: { unreadable: 1 } });

    emulator.control.removeApplicationAccessPolicy(CONTOSO_TENANT_ID);
    await makeDue(db.prisma, organizationId);
    expect(await sweep()).toMatchObject({ synced: 1 });
    expect((await statuses()).every((s) => s.endsWith(':active:-'))).toBe(true);
  });

  it('a removed organization is not synced', async () => {
    await db.prisma.organization.update({
      where: { id: organizationId },
      data: { removedAt: new Date(), nextSyncAt: new Date(Date.now() - 1000) },
    });
    emulator.control.clearLogs();
    expect(await sweep()).toMatchObject({ claimed: 0 });
    expect(emulator.control.requestLog({ tokenKind: 'app' })).toHaveLength(0);
  });

  it('a sync racing the removal writes nothing for the removed organization', async () => {
    emulator.control.addLatency(400, { method: 'GET', path: '/v1.0/users', times: 1 });
    await makeDue(db.prisma, organizationId);
    const running = sweep();
    await new Promise((resolve) => setTimeout(resolve, 150));
    const actor = { userId: 'owner-1', workspaceId: 'ws-consent' };
    const removed = await app.get(OrganizationService).remove(actor, organizationId);
    expect(removed.retired).toBeGreaterThan(0);
    expect(await running).toMatchObject({ skipped: 1, synced: 0 });
    expect(await db.prisma.mailbox.count({ where: { organizationId, disconnectedAt: null } })).toBe(
      0,
    );
    expect((await org()).lockedUntil).toBeNull();
  });
});
