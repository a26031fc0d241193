import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { ADELE, CONTOSO_TENANT_ID, MEGAN, SANDBOX_APP } from '../../src/sandbox/seed.js';
import { AppTokenService } from '../../src/common/microsoft/app-token.service.js';
import { OrganizationSyncJob } from '../../src/modules/admin-consent/organization-sync.job.js';
import { adminConsentJourney } from '../factories/admin-consent.js';
import { call, createSandboxApp, type SandboxApp, sandboxToken } from '../support/sandbox-app.js';
import { assign, createProfile, drain } from '../support/sending.js';

interface MailboxBody {
  id: string;
  email: string;
  status: string;
  statusReason: string | null;
  identities: { id: string; type: string }[];
}
interface MessageBody {
  id: string;
  status: string;
  fromEmail: string | null;
  errorCode: string | null;
}

/** Exchange's 30 messages per minute, lowered so a few messages reach the limit. */
const PER_WINDOW = 2;

describe('sending from organization mailboxes (app-only) and losing consent (e2e)', () => {
  let t: SandboxApp;
  let token: string;
  let organizationId: string;
  let profileId: string;
  let boxes: Map<string, MailboxBody>;

  beforeAll(async () => {
    t = await createSandboxApp({ OUTBOUND_MAILBOX_MESSAGES_PER_WINDOW: String(PER_WINDOW) });
    token = await sandboxToken(t, 'owner-1', 'ws-org-send');
    const run = await adminConsentJourney(t, token);
    organizationId = run.landed?.searchParams.get('organization') ?? '';
    const list = await call(t, 'GET', '/v1/mailboxes', { token });
    boxes = new Map(list.json<{ items: MailboxBody[] }>().items.map((m) => [m.email, m]));
    profileId = await createProfile(t, token, { fromName: 'Contoso Sales' });
    for (const email of [ADELE.mail, MEGAN.mail]) {
      const primary = boxes.get(email)?.identities.find((i) => i.type === 'primary');
      await assign(t, token, primary?.id ?? '', profileId);
    }
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    // A clean queue and sending history: each test starts under the per-mailbox limits.
    await t.db.prisma.outboundMessage.deleteMany({});
    await t.db.prisma.outboxEvent.deleteMany({});
    // Consent granted an hour ago: a refusal now is a revocation, not Entra still replicating.
    await t.db.prisma.organization.updateMany({
      data: { grantedAt: new Date(Date.now() - 3600_000) },
    });
  });

  const post = (subject: string) =>
    call(t, 'POST', '/v1/messages', {
      token,
      body: { senderProfileId: profileId, to: ['lead@example.com'], subject, text: 'Hi' },
    });
  const message = async (id: string) =>
    (await call(t, 'GET', `/v1/messages/${id}`, { token })).json<MessageBody>();
  const releaseQueue = () =>
    t.db.prisma.outboundMessage.updateMany({
      where: { status: 'queued' },
      data: { nextAttemptAt: new Date() },
    });

  it('Graph saw /users/{id}/sendMail with an app token; messages rotate between the mailboxes within their limits', async () => {
    const since = new Date();
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const res = await post(`Org ${i}`);
      expect(res.status).toBe(202);
      ids.push(res.json<MessageBody>().id);
    }
    await drain(t);
    const sends = t.emulator.control.requestLog({ since, method: 'POST', path: /sendMail$/ });
    expect(sends.map((s) => `${s.path}|${s.tokenKind}|${s.status}`).sort()).toEqual(
      [
        ...Array(PER_WINDOW).fill(`/v1.0/users/${ADELE.id}/sendMail|app|202`),
        ...Array(PER_WINDOW).fill(`/v1.0/users/${MEGAN.id}/sendMail|app|202`),
      ].sort(),
    );
    const sent = t.emulator.control.graph.sentMail({ since });
    expect(sent.map((s) => s.from.name)).toEqual(Array(4).fill('Contoso Sales'));
    const states = await Promise.all(ids.map(message));
    expect(states.filter((m) => m.status === 'sent')).toHaveLength(4);
    const waiting = states.filter((m) => m.status === 'queued');
    expect(waiting).toHaveLength(1);
    const bySender = new Map<string, number>();
    for (const m of states.filter((s) => s.status === 'sent'))
      bySender.set(m.fromEmail ?? '', (bySender.get(m.fromEmail ?? '') ?? 0) + 1);
    expect(Object.fromEntries(bySender)).toEqual({ [ADELE.mail]: 2, [MEGAN.mail]: 2 });
    expect(t.emulator.control.tokenLog({ since }).map((e) => e.grantType)).not.toContain(
      'refresh_token',
    );
  });

  it('an access policy hiding one mailbox: its send is refused (403 ErrorAccessDenied), it gets its own reason, the message goes from another mailbox; a later sync clears the reason', async () => {
    const c = t.emulator.control;
    c.setApplicationAccessPolicy({ tenantId: CONTOSO_TENANT_ID, mailboxes: [MEGAN.mail] });
    const since = new Date();
    const ids = [
      (await post('Policy 1')).json<MessageBody>().id,
      (await post('Policy 2')).json<MessageBody>().id,
    ];
    await drain(t);
    for (const id of ids)
      expect(await message(id)).toMatchObject({ status: 'sent', fromEmail: ADELE.mail });
    const refused = c.requestLog({
      since,
      method: 'POST',
      path: `/v1.0/users/${MEGAN.id}/sendMail`,
    });
    expect(refused.map((r) => `${r.status}|${r.tokenKind}`)).toEqual(['403|app']);
    const megan = (
      await call(t, 'GET', `/v1/mailboxes/${boxes.get(MEGAN.mail)?.id}`, { token })
    ).json();
    expect(megan).toMatchObject({ status: 'error', statusReason: 'application_access_denied' });
    const org = (await call(t, 'GET', `/v1/organizations/${organizationId}`, { token })).json();
    expect(org).toMatchObject({ status: 'active', counts: { active: 3, accessDenied: 1 } });
    const profile = (await call(t, 'GET', `/v1/sender-profiles/${profileId}`, { token })).json();
    expect(profile).toMatchObject({ sendable: true, notSendableReason: null });
    expect(
      await t.db.prisma.outboxEvent.count({
        where: {
          name: 'mailbox.app-access-refused',
          payload: { path: ['reason'], equals: 'access_denied' },
        },
      }),
    ).toBe(1);

    c.removeApplicationAccessPolicy(CONTOSO_TENANT_ID);
    const synced = await call(t, 'POST', `/v1/organizations/${organizationId}/sync`, { token });
    expect(synced.json()).toMatchObject({ counts: { active: 4, accessDenied: 0 } });
  });

  it('consent revoked while sending: Graph and then the token endpoint refuse, the message waits with that reason, the organization syncs at once and shows needs_consent', async () => {
    const c = t.emulator.control;
    c.revokeAdminConsent(CONTOSO_TENANT_ID, SANDBOX_APP.clientId);
    const since = new Date();
    const id = (await post('During revocation')).json<MessageBody>().id;
    await drain(t);
    expect(await message(id)).toMatchObject({
      status: 'queued',
      errorCode: 'organization_needs_consent',
    });
    expect(c.graph.sentMail({ since })).toHaveLength(0);
    const sends = c.requestLog({ since, method: 'POST', path: /sendMail$/ });
    expect(sends.map((r) => r.status)).toEqual([403]);
    expect(c.tokenLog({ since }).map((e) => `${e.grantType}:${e.error}`)).toContain(
      'client_credentials:unauthorized_client',
    );
    expect(
      await t.db.prisma.organization.findUniqueOrThrow({ where: { id: organizationId } }),
    ).toMatchObject({
      status: 'active',
    });
    expect((await t.app.get(OrganizationSyncJob).sweep()).consent_lost).toBe(1);
    const org = (await call(t, 'GET', `/v1/organizations/${organizationId}`, { token })).json();
    expect(org).toMatchObject({ status: 'needs_consent', counts: { needsConsent: 4 } });

    c.grantAdminConsent(CONTOSO_TENANT_ID, SANDBOX_APP.clientId);
    await t.db.prisma.organization.update({
      where: { id: organizationId },
      data: { nextSyncAt: new Date() },
    });
    expect((await t.app.get(OrganizationSyncJob).sweep()).synced).toBe(1);
    await releaseQueue();
    await drain(t);
    expect(await message(id)).toMatchObject({ status: 'sent' });
  });

  it('revoked consent → next sync: needs_consent, sending stops with that reason, nothing lost; consent again → active and the queued messages go out', async () => {
    t.emulator.control.revokeAdminConsent(CONTOSO_TENANT_ID, SANDBOX_APP.clientId);
    const queued = [
      (await post('Kept 1')).json<MessageBody>().id,
      (await post('Kept 2')).json<MessageBody>().id,
    ];

    const synced = await call(t, 'POST', `/v1/organizations/${organizationId}/sync`, { token });
    expect(synced.status).toBe(200);
    expect(synced.json()).toMatchObject({
      status: 'needs_consent',
      statusReason: 'consent_revoked',
      lastError: 'token_unauthorized_client',
      counts: { mailboxes: 4, active: 0, needsConsent: 4 },
    });
    const adele = (
      await call(t, 'GET', `/v1/mailboxes/${boxes.get(ADELE.mail)?.id}`, { token })
    ).json<MailboxBody>();
    expect(adele).toMatchObject({
      status: 'needs_reauth',
      statusReason: 'organization_needs_consent',
    });
    const profile = (await call(t, 'GET', `/v1/sender-profiles/${profileId}`, { token })).json();
    expect(profile).toMatchObject({
      sendable: false,
      notSendableReason: 'organization_needs_consent',
    });

    const since = new Date();
    await releaseQueue();
    await drain(t);
    expect(t.emulator.control.graph.sentMail({ since })).toHaveLength(0);
    for (const id of queued)
      expect(await message(id)).toMatchObject({
        status: 'queued',
        errorCode: 'organization_needs_consent',
      });
    const refused = await post('While revoked');
    expect(refused.status).toBe(422);
    expect(refused.json<{ error: { code: string; message: string } }>().error).toMatchObject({
      code: 'no_sendable_identity',
      message: expect.stringContaining('organization_needs_consent'),
    });
    expect(
      await t.db.prisma.outboxEvent.count({ where: { name: 'organization.consent-revoked' } }),
    ).toBe(1);

    const run = await adminConsentJourney(t, token);
    expect(run.landed?.searchParams.get('organization')).toBe(organizationId);
    const org = (await call(t, 'GET', `/v1/organizations/${organizationId}`, { token })).json();
    expect(org).toMatchObject({
      status: 'active',
      statusReason: null,
      counts: { active: 4, needsConsent: 0 },
    });
    await releaseQueue();
    await drain(t);
    for (const id of queued) expect((await message(id)).status).toBe('sent');
    expect(
      t.emulator.control.graph
        .sentMail({ since })
        .map((s) => s.subject)
        .sort(),
    ).toEqual(['Kept 1', 'Kept 2']);
  });

  it('token endpoint down: the message waits with mailbox_token_unavailable (never an unknown outcome); Refresh reads /users/{id} app-only', async () => {
    const c = t.emulator.control;
    c.setTokenEndpointAvailable(false, 60);
    t.app.get(AppTokenService).forget(CONTOSO_TENANT_ID);
    try {
      const id = (await post('Token outage')).json<MessageBody>().id;
      await drain(t);
      expect(await message(id)).toMatchObject({
        status: 'queued',
        errorCode: 'mailbox_token_unavailable',
      });
    } finally {
      c.setTokenEndpointAvailable(true);
    }
    const since = new Date();
    const refreshed = await call(t, 'POST', `/v1/mailboxes/${boxes.get(ADELE.mail)?.id}/refresh`, {
      token,
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.json()).toMatchObject({
      connectionType: 'organization',
      changes: { added: [], removed: [] },
    });
    expect(
      c.requestLog({ since, path: `/v1.0/users/${ADELE.id}` }).map((r) => r.tokenKind),
    ).toEqual(['app']);
  });

  it('removing the organization cancels messages no identity is left to send', async () => {
    const queued = (await post('Never')).json<MessageBody>().id;
    const res = await call(t, 'DELETE', `/v1/organizations/${organizationId}`, { token });
    expect(res.status).toBe(200);
    await drain(t);
    expect(await message(queued)).toMatchObject({
      status: 'cancelled',
      errorCode: 'mailbox_disconnected',
    });
    const profile = (await call(t, 'GET', `/v1/sender-profiles/${profileId}`, { token })).json();
    expect(profile).toMatchObject({ sendable: false, identityIds: [] });
  });
});
