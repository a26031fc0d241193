import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { OutboxRelay } from '../../src/common/events/outbox-relay.js';
import { ADELE, CONTOSO_TENANT_ID, MEGAN, SANDBOX_APP } from '../../src/sandbox/seed.js';
import { buildOrganization } from '../factories/organization.js';
import { buildStaff } from '../factories/staff.js';
import { ConsoleBrowser, noticeOf } from '../support/console.js';
import { call, createSandboxApp, type SandboxApp, sandboxToken } from '../support/sandbox-app.js';
import { assign, connectMailbox, createProfile, drain, type Ids } from '../support/sending.js';

/**
 * Every console action against the real service and the emulator: each goes through the
 * module's service the REST API uses and is checked by its domain effect and event, and by the
 * audit row naming the staff member.
 */
describe('operations console actions (e2e)', () => {
  let t: SandboxApp;
  let token: string;
  let adele: Ids;
  let megan: Ids;
  let profileId: string;
  let operator: ConsoleBrowser;
  let operatorId: string;

  beforeAll(async () => {
    t = await createSandboxApp();
    token = await sandboxToken(t, 'u-1', 'ws-actions');
    adele = await connectMailbox(t, token, ADELE.id);
    megan = await connectMailbox(t, token, MEGAN.id);
    profileId = await createProfile(t, token);
    await assign(t, token, megan.primaryIdentityId, profileId);
    await drain(t);
    const staff = await buildStaff(t.db.prisma, { role: 'operator' });
    operatorId = staff.id;
    operator = new ConsoleBrowser(t.baseUrl);
    expect((await operator.login(staff.email)).status).toBe(303);
  });
  afterAll(() => t.close());

  const relay = async () => {
    while ((await t.app.get(OutboxRelay).relayOnce()).claimed > 0);
  };
  const events = (name: string) => t.db.prisma.outboxEvent.findMany({ where: { name } });
  const staffAudit = (action: string, targetId: string) =>
    t.db.prisma.auditLog.findMany({
      where: { action, targetId, actorType: 'staff', actorId: operatorId },
    });
  const send = async (subject: string) => {
    const res = await call(t, 'POST', '/v1/messages', {
      token,
      body: { senderProfileId: profileId, to: ['lead@example.com'], subject, text: 'Hi' },
    });
    expect(res.status).toBe(202);
    return res.json<{ id: string }>().id;
  };

  it('Refresh identities: discovers a new alias through Graph (identity.discovered)', async () => {
    t.emulator.control.addAlias(ADELE.id, 'smtp:adele.console@contoso.com');
    const since = new Date();
    const res = await operator.action('mailboxes', adele.mailboxId, 'refreshIdentities');
    expect(noticeOf(res)).toEqual({
      message: 'Identities refreshed: 1 added, 0 removed.',
      type: 'success',
    });
    const graphCalls = t.emulator.control
      .requestLog({ since })
      .filter((r) => r.path.includes('/me'));
    expect(graphCalls.length).toBeGreaterThan(0);
    const found = await t.db.prisma.identity.findFirst({
      where: { email: 'adele.console@contoso.com' },
    });
    expect(found).toMatchObject({ mailboxId: adele.mailboxId, type: 'alias', status: 'active' });
    const discovered = (await events('identity.discovered')).map((e) => e.payload);
    expect(discovered).toContainEqual(expect.objectContaining({ identityId: found!.id }));
    expect(await staffAudit('mailbox.identities_refreshed', adele.mailboxId)).toHaveLength(1);
  });

  it('Force token refresh: one refresh_token grant now, the rotated token stored', async () => {
    const before = await t.db.prisma.mailboxCredential.findUniqueOrThrow({
      where: { mailboxId: adele.mailboxId },
    });
    const since = new Date();
    const res = await operator.action('mailboxes', adele.mailboxId, 'refreshToken');
    expect(noticeOf(res)).toEqual({ message: 'Token refresh: refreshed.', type: 'success' });
    const grants = t.emulator.control
      .tokenLog({ since })
      .filter((g) => g.grantType === 'refresh_token');
    expect(grants).toHaveLength(1);
    const after = await t.db.prisma.mailboxCredential.findUniqueOrThrow({
      where: { mailboxId: adele.mailboxId },
    });
    expect(after.refreshToken).not.toBe(before.refreshToken);
    expect(after.accessToken).not.toBe(before.accessToken);
    const audit = await staffAudit('mailbox.token_refresh_forced', adele.mailboxId);
    expect(audit.map((a) => a.metadata)).toEqual([{ outcome: 'refreshed' }]);
  });

  it('Cancel a queued message: it is never sent', async () => {
    const id = await send('Cancel me');
    const res = await operator.action('outbound_messages', id, 'cancel');
    expect(noticeOf(res).type).toBe('success');
    const since = new Date();
    await drain(t);
    const row = await t.db.prisma.outboundMessage.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: 'cancelled', errorCode: 'cancelled_by_operator' });
    expect(t.emulator.control.graph.sentMail({ since })).toHaveLength(0);
    expect(await staffAudit('outbound.message_cancelled', id)).toHaveLength(1);
    const again = await operator.action('outbound_messages', id, 'cancel');
    expect(noticeOf(again)).toEqual({
      message: 'Only a queued message can be cancelled; this one is cancelled.',
      type: 'error',
    });
  });

  it('Retry a failed message: queued again, sent by the dispatcher (outbound.message-sent)', async () => {
    const id = await send('Retry me');
    await t.db.prisma.outboundMessage.update({
      where: { id },
      data: { status: 'failed', attempts: 5, errorCode: 'graph_503_ServiceUnavailable' },
    });
    const res = await operator.action('outbound_messages', id, 'retry');
    expect(noticeOf(res).type).toBe('success');
    const queued = await t.db.prisma.outboundMessage.findUniqueOrThrow({ where: { id } });
    expect(queued).toMatchObject({ status: 'queued', attempts: 0, errorCode: null });
    const since = new Date();
    await drain(t);
    expect(await t.db.prisma.outboundMessage.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: 'sent',
    });
    expect(t.emulator.control.graph.sentMail({ since }).map((m) => m.subject)).toEqual([
      'Retry me',
    ]);
    const sent = (await events('outbound.message-sent')).map((e) => e.payload);
    expect(sent).toContainEqual(expect.objectContaining({ messageId: id }));
    const audit = await staffAudit('outbound.message_retried', id);
    expect(audit.map((a) => a.metadata)).toEqual([
      { previousErrorCode: 'graph_503_ServiceUnavailable' },
    ]);
  });

  it('Remove from suppression list: through SuppressionService (REST DELETE’s path), the address is written to again; a viewer cannot', async () => {
    const added = await call(t, 'POST', '/v1/suppressions', {
      token,
      body: { email: 'Gone@Example.com', note: 'bounced once' },
    });
    expect(added.status).toBe(201);
    const { id } = added.json<{ id: string }>();
    const sendTo = (to: string) =>
      call(t, 'POST', '/v1/messages', {
        token,
        body: { senderProfileId: profileId, to: [to], subject: 'After removal', text: 'Hi' },
      });
    expect((await sendTo('gone@example.com')).status).toBe(422);

    const viewerRow = await buildStaff(t.db.prisma, { role: 'viewer' });
    const viewer = new ConsoleBrowser(t.baseUrl);
    await viewer.login(viewerRow.email);
    expect(noticeOf(await viewer.action('suppressions', id, 'removeSuppression')).type).toBe(
      'error',
    );
    expect(await t.db.prisma.suppression.count({ where: { id } })).toBe(1);

    const res = await operator.action('suppressions', id, 'removeSuppression');
    expect(noticeOf(res)).toEqual({
      message: 'Address removed from the suppression list; it may be written to again.',
      type: 'success',
    });
    const listed = await call(t, 'GET', '/v1/suppressions', { token });
    expect(listed.json<{ items: { id: string }[] }>().items.map((i) => i.id)).not.toContain(id);
    const since = new Date();
    expect((await sendTo('gone@example.com')).status).toBe(202);
    await drain(t);
    const sent = t.emulator.control.graph.sentMail({ since });
    expect(sent.map((m) => m.toRecipients.map((r) => r.address))).toEqual([['gone@example.com']]);
    const audit = await staffAudit('outbound.suppression_removed', id);
    expect(audit.map((a) => [a.workspaceId, a.metadata])).toEqual([
      ['ws-actions', { reason: 'manual', source: 'api' }],
    ]);
  });

  it('Retry a parked event: delivered again to its listener', async () => {
    // A disconnect whose identity.retire listener never got through.
    await t.db.prisma.mailbox.update({
      where: { id: megan.mailboxId },
      data: { disconnectedAt: new Date() },
    });
    const parked = await t.db.prisma.outboxEvent.create({
      data: {
        name: 'mailbox.disconnected',
        payload: { mailboxId: megan.mailboxId, workspaceId: 'ws-actions' },
        status: 'parked',
        attempts: 10,
        lastError: 'Error: database unavailable',
      },
    });
    const res = await operator.action('outbox_events', parked.id, 'retry');
    expect(noticeOf(res).type).toBe('success');
    await relay();
    expect(
      await t.db.prisma.outboxEvent.findUniqueOrThrow({ where: { id: parked.id } }),
    ).toMatchObject({
      status: 'published',
    });
    const identities = await t.db.prisma.identity.findMany({
      where: { mailboxId: megan.mailboxId },
    });
    expect(identities.every((i) => i.status === 'inactive' && i.senderProfileId === null)).toBe(
      true,
    );
    expect(await staffAudit('outbox.event_retried', parked.id)).toHaveLength(1);
  });

  it('Suspend and reactivate a workspace: its API answers 403 workspace_inactive meanwhile', async () => {
    expect(noticeOf(await operator.action('workspaces', 'ws-actions', 'suspend')).type).toBe(
      'success',
    );
    const refused = await call(t, 'GET', '/v1/mailboxes', { token });
    expect([refused.status, refused.json<{ error: { code: string } }>().error.code]).toEqual([
      403,
      'workspace_inactive',
    ]);
    await operator.action('workspaces', 'ws-actions', 'reactivate');
    expect((await call(t, 'GET', '/v1/mailboxes', { token })).status).toBe(200);
    expect(await staffAudit('workspace.suspended', 'ws-actions')).toHaveLength(1);
    expect(await staffAudit('workspace.reactivated', 'ws-actions')).toHaveLength(1);
  });

  it('Sync an organization: the tenant directory is listed app-only and its mailboxes created', async () => {
    t.emulator.control.grantAdminConsent(CONTOSO_TENANT_ID, SANDBOX_APP.clientId, [
      'User.Read.All',
      'Mail.Send',
      'Mail.ReadWrite',
    ]);
    const org = await buildOrganization(t.db.prisma, {
      workspaceId: 'ws-org',
      tenantId: CONTOSO_TENANT_ID,
    });
    const list = await operator.api(
      '/resources/organizations/actions/list?filters.workspaceId=ws-org',
    );
    const [record] = list.json<{ records: { id: string }[] }>().records;
    expect(record.id).toBe(`ws-org~${org.id}`);
    const since = new Date();
    const res = await operator.action('organizations', record.id, 'sync');
    expect(noticeOf(res)).toEqual({ message: 'Organization synced.', type: 'success' });
    const listed = t.emulator.control.requestLog({ since, path: '/users', tokenKind: 'app' });
    expect(listed.length).toBeGreaterThan(0);
    const synced = await t.db.prisma.organization.findUniqueOrThrow({ where: { id: org.id } });
    expect(synced.lastSyncAt).not.toBeNull();
    expect(await t.db.prisma.mailbox.count({ where: { organizationId: org.id } })).toBeGreaterThan(
      0,
    );
    expect(await staffAudit('organization.sync_requested', org.id)).toHaveLength(1);
  });

  it('a viewer sees the mailbox but cannot run its actions', async () => {
    const viewerRow = await buildStaff(t.db.prisma, { role: 'viewer' });
    const viewer = new ConsoleBrowser(t.baseUrl);
    await viewer.login(viewerRow.email);
    const show = await viewer.api(`/resources/mailboxes/records/${adele.mailboxId}/show`);
    expect(
      show.json<{ record: { params: { email: string }; recordActions: unknown[] } }>(),
    ).toMatchObject({
      record: {
        params: { email: ADELE.mail },
        recordActions: [expect.objectContaining({ name: 'show' })],
      },
    });
    const res = await viewer.action('mailboxes', adele.mailboxId, 'disconnect');
    expect(noticeOf(res).type).toBe('error');
    expect(
      (await t.db.prisma.mailbox.findUniqueOrThrow({ where: { id: adele.mailboxId } }))
        .disconnectedAt,
    ).toBeNull();
  });

  it('Disconnect: the REST path’s effect (mailbox.disconnected, identities retired), audited with the staff member', async () => {
    const res = await operator.action('mailboxes', adele.mailboxId, 'disconnect');
    expect(noticeOf(res)).toEqual({ message: 'Mailbox disconnected.', type: 'success' });
    expect(
      await t.db.prisma.mailboxCredential.count({ where: { mailboxId: adele.mailboxId } }),
    ).toBe(0);
    const disconnected = (await events('mailbox.disconnected')).map((e) => e.payload);
    expect(disconnected).toContainEqual({ mailboxId: adele.mailboxId, workspaceId: 'ws-actions' });
    await relay();
    const identities = await t.db.prisma.identity.findMany({
      where: { mailboxId: adele.mailboxId },
    });
    expect(identities.every((i) => i.status === 'inactive')).toBe(true);
    expect((await call(t, 'GET', `/v1/mailboxes/${adele.mailboxId}`, { token })).status).toBe(404);
    expect(await staffAudit('mailbox.disconnected', adele.mailboxId)).toHaveLength(1);
  });
});
