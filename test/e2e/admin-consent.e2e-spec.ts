import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  ADELE,
  CONTOSO_ADMIN,
  CONTOSO_TENANT_ID,
  FABRIKAM_ADMIN,
  FABRIKAM_ALEX,
  FABRIKAM_TENANT_ID,
  MEGAN,
  SANDBOX_APP,
  SUPPORT_MAILBOX,
  SVC_SCANNER,
} from '../../src/sandbox/seed.js';
import { decodeJwt, decodeProtectedHeader, generateKeyPair, SignJWT } from 'jose';
import { IdTokenVerifier } from '../../src/common/microsoft/id-token.verifier.js';
import {
  adminConsentJourney,
  adminConsentLink,
  continueUrlOf,
} from '../factories/admin-consent.js';
import {
  call,
  connectJourney,
  createSandboxApp,
  type SandboxApp,
  sandboxToken,
} from '../support/sandbox-app.js';

interface IdentityBody {
  email: string;
  type: string;
  status: string;
}
interface MailboxBody {
  id: string;
  email: string;
  connectionType: string;
  organizationId: string | null;
  status: string;
  identities: IdentityBody[];
}
interface OrganizationBody {
  id: string;
  tenantId: string;
  status: string;
  domain: string | null;
  lastSyncAt: string | null;
  counts: Record<string, unknown> & { excluded: Record<string, number> };
}

const FRONTEND = 'http://frontend.test/settings/email-setup';

describe('admin consent: connect a whole organization (e2e against the emulator)', () => {
  let t: SandboxApp;
  let token: string;
  let other: string;
  let organizationId: string;

  beforeAll(async () => {
    t = await createSandboxApp();
    token = await sandboxToken(t, 'owner-1', 'ws-org');
    other = await sandboxToken(t, 'intruder', 'ws-other');
    const c = t.emulator.control;
    c.addUser(CONTOSO_TENANT_ID, { displayName: 'Fred Former', mail: 'fred@contoso.com' });
    c.setAccountEnabled('fred@contoso.com', false);
    c.addUser(CONTOSO_TENANT_ID, {
      displayName: 'Board Room',
      mail: 'board@contoso.com',
      kind: 'room',
    });
    c.addUser(CONTOSO_TENANT_ID, {
      displayName: 'Projector',
      mail: 'projector@contoso.com',
      kind: 'equipment',
    });
    c.addUser(CONTOSO_TENANT_ID, {
      displayName: 'Sales Team',
      mail: 'sales@contoso.com',
      proxyAddresses: ['SMTP:sales@contoso.com', 'smtp:deals@contoso.com', 'SIP:sales@contoso.com'],
      kind: 'shared',
    });
  });
  afterAll(() => t.close());

  const mailboxes = async (as = token) =>
    (await call(t, 'GET', '/v1/mailboxes?limit=100', { token: as })).json<{
      items: MailboxBody[];
    }>().items;
  const organization = async (id = organizationId) =>
    (await call(t, 'GET', `/v1/organizations/${id}`, { token })).json<OrganizationBody>();
  const sync = (id = organizationId, as = token) =>
    call(t, 'POST', `/v1/organizations/${id}/sync`, { token: as });
  const landedAt = (url: URL | undefined) => `${url?.origin ?? ''}${url?.pathname ?? ''}`;

  it('start → our page → Microsoft admin consent → back with ?organization=<id>; every user with a mailbox is an organization mailbox with its addresses', async () => {
    const since = new Date();
    const run = await adminConsentJourney(t, token, {
      body: { workspaceName: 'Acme <Sales>', requestedBy: 'Ann Lee' },
    });
    expect(run.page.status).toBe(200);
    expect(run.page.html).toContain('Acme &#60;Sales&#62;');
    expect(run.page.html).not.toContain('<Sales>');
    expect(run.page.html).toContain('Ann Lee');
    for (const permission of [
      'User.Read.All',
      'MailboxSettings.Read',
      'Mail.Send',
      'Mail.ReadWrite',
    ])
      expect(run.page.html).toContain(permission);
    const continueUrl = new URL(continueUrlOf(run.page.html));
    expect(continueUrl.pathname).toBe('/organizations/oauth2/v2.0/authorize');
    expect(Object.fromEntries(continueUrl.searchParams)).toMatchObject({
      client_id: SANDBOX_APP.clientId,
      response_type: 'code',
      response_mode: 'query',
      scope: 'openid profile https://graph.microsoft.com/.default',
      prompt: 'admin_consent',
      redirect_uri: `${t.baseUrl}/v1/microsoft/admin-consent/callback`,
      state: new URL(run.link).searchParams.get('link'),
      nonce: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });
    expect(new URL(run.callbackUrl ?? '').searchParams.has('code')).toBe(true);
    expect(run.consentPage?.text).toContain('Accept');
    expect(landedAt(run.landed)).toBe(FRONTEND);
    organizationId = run.landed?.searchParams.get('organization') ?? '';
    expect(organizationId).toMatch(/^[0-9a-f-]{36}$/);

    const items = await mailboxes();
    const byEmail = new Map(items.map((m) => [m.email, m]));
    expect([...byEmail.keys()].sort()).toEqual(
      [
        ADELE.mail,
        CONTOSO_ADMIN.mail,
        MEGAN.mail,
        'sales@contoso.com',
        SUPPORT_MAILBOX.mail,
      ].sort(),
    );
    for (const m of items)
      expect(m).toMatchObject({ connectionType: 'organization', organizationId, status: 'active' });
    const addresses = (email: string) =>
      byEmail
        .get(email)
        ?.identities.map((i) => `${i.type}:${i.email}:${i.status}`)
        .sort();
    expect(addresses(ADELE.mail)).toEqual([
      'alias:adele.vance@contoso.com:active',
      'alias:av@sales.contoso.com:active',
      'primary:adele@contoso.com:active',
    ]);
    expect(addresses('sales@contoso.com')).toEqual([
      'alias:deals@contoso.com:active',
      'primary:sales@contoso.com:active',
    ]);
    expect(addresses(SUPPORT_MAILBOX.mail)).toEqual([
      'alias:help@contoso.com:active',
      'primary:support@contoso.com:active',
    ]);
    for (const absent of ['fred@contoso.com', 'board@contoso.com', 'projector@contoso.com'])
      expect(byEmail.has(absent)).toBe(false);
    expect(byEmail.has(SVC_SCANNER.userPrincipalName)).toBe(false);

    expect(await organization()).toMatchObject({
      id: organizationId,
      tenantId: CONTOSO_TENANT_ID,
      status: 'active',
      domain: 'contoso.com',
      counts: {
        mailboxes: 5,
        active: 5,
        needsConsent: 0,
        accessDenied: 0,
        sharedMailboxes: 2,
        users: 9,
        excluded: { withoutMailbox: 1, disabledAccounts: 1, roomsAndEquipment: 2, guests: 0 },
      },
    });
    const graph = t.emulator.control.requestLog({ since, tokenKind: 'app' });
    // One /users page and one $batch; the emulator logs the batch's items (the five disabled
    // accounts' mailboxSettings) as it runs them through its own HTTP pipeline.
    expect(graph.filter((r) => r.path === '/v1.0/users')).toHaveLength(1);
    expect(graph.filter((r) => r.path === '/v1.0/$batch')).toHaveLength(1);
    expect(graph.filter((r) => r.path.endsWith('/mailboxSettings'))).toHaveLength(5);
    expect(graph).toHaveLength(7);
    const audit = await t.db.prisma.auditLog.findMany({
      where: { targetId: organizationId },
      orderBy: { at: 'asc' },
    });
    expect(audit.map((a) => a.action)).toEqual([
      'organization.consent_granted',
      'organization.synced',
    ]);
  });

  it('Cancel on Microsoft’s page → ?error=access_denied; the used link shows 410', async () => {
    const run = await adminConsentJourney(t, token, { decision: 'cancel' });
    expect(new URL(run.callbackUrl ?? '').searchParams.get('error')).toBe('access_denied');
    expect(landedAt(run.landed)).toBe(FRONTEND);
    expect(run.landed?.searchParams.get('error')).toBe('access_denied');
    expect(run.landed?.searchParams.has('organization')).toBe(false);
    const again = await call(t, 'GET', run.link);
    expect(again.status).toBe(410);
    expect(again.body).toContain('already used');
    expect((await organization()).status).toBe('active');
  });

  it('a replayed or expired state → invalid_state; another error → admin_consent_failed', async () => {
    const run = await adminConsentJourney(t, token);
    expect(run.landed?.searchParams.get('organization')).toBe(organizationId);
    const replay = await call(t, 'GET', run.callbackUrl ?? '');
    expect(new URL(String(replay.headers.location)).searchParams.get('error')).toBe(
      'invalid_state',
    );

    const expired = await adminConsentJourney(t, token, {
      beforeCallback: async () => {
        await t.db.prisma.adminConsentAttempt.updateMany({
          where: { consumedAt: null },
          data: { expiresAt: new Date(Date.now() - 1000) },
        });
      },
    });
    expect(expired.landed?.searchParams.get('error')).toBe('invalid_state');

    const unknown = await call(t, 'GET', '/v1/microsoft/admin-consent/callback?admin_consent=True');
    expect(String(unknown.headers.location)).toBe(`${FRONTEND}?error=invalid_state`);

    const link = new URL(await adminConsentLink(t, token));
    const state = link.searchParams.get('link') ?? '';
    const failed = await call(
      t,
      'GET',
      `/v1/microsoft/admin-consent/callback?error=server_error&admin_consent=True&tenant=${CONTOSO_TENANT_ID}&state=${state}`,
    );
    expect(new URL(String(failed.headers.location)).searchParams.get('error')).toBe(
      'admin_consent_failed',
    );
  });

  it('a code that does not redeem, or no code at all → admin_consent_failed; a non-admin → access_denied', async () => {
    for (const query of ['code=not-a-code', 'admin_consent=True']) {
      const state = new URL(await adminConsentLink(t, token)).searchParams.get('link') ?? '';
      const res = await call(
        t,
        'GET',
        `/v1/microsoft/admin-consent/callback?${query}&state=${state}`,
      );
      expect(new URL(String(res.headers.location)).searchParams.get('error')).toBe(
        'admin_consent_failed',
      );
    }
    const notAdmin = await adminConsentJourney(t, token, { admin: ADELE.id });
    const callback = new URL(notAdmin.callbackUrl ?? '');
    expect(callback.searchParams.get('error')).toBe('access_denied');
    expect(callback.searchParams.get('error_description')).toContain('AADSTS90094');
    expect(notAdmin.landed?.searchParams.get('error')).toBe('access_denied');
  });

  it('issue 12 security: a forged callback for another tenant attaches nothing', async () => {
    // Contoso consented for ws-org (first test); an attacker in another workspace forges its way in.
    const attacker = await sandboxToken(t, 'attacker', 'ws-attacker');
    const state = new URL(await adminConsentLink(t, attacker)).searchParams.get('link') ?? '';
    const forged = await call(
      t,
      'GET',
      `/v1/microsoft/admin-consent/callback?admin_consent=True&tenant=${CONTOSO_TENANT_ID}&state=${state}`,
    );
    const landed = new URL(String(forged.headers.location));
    expect(landed.searchParams.get('error')).toBe('admin_consent_failed');
    expect(landed.searchParams.has('organization')).toBe(false);

    // A genuine Contoso admin's code from another request (ws-org's link) fails on the nonce.
    const genuine = await adminConsentJourney(t, token, {
      beforeCallback: async (callbackUrl) => {
        const code = new URL(callbackUrl).searchParams.get('code') ?? '';
        const stolenState =
          new URL(await adminConsentLink(t, attacker)).searchParams.get('link') ?? '';
        const stolen = await call(
          t,
          'GET',
          `/v1/microsoft/admin-consent/callback?code=${encodeURIComponent(code)}&state=${stolenState}`,
        );
        expect(new URL(String(stolen.headers.location)).searchParams.get('error')).toBe(
          'admin_consent_failed',
        );
      },
    });
    expect(genuine.landed?.searchParams.get('error')).toBe('admin_consent_failed');

    expect(await t.db.prisma.organization.count({ where: { workspaceId: 'ws-attacker' } })).toBe(0);
    expect(await t.db.prisma.mailbox.count({ where: { workspaceId: 'ws-attacker' } })).toBe(0);
    expect((await call(t, 'GET', '/v1/organizations', { token: attacker })).json()).toEqual({
      items: [],
      nextCursor: null,
    });
    expect(await mailboxes(attacker)).toEqual([]);
  });

  it('the id_token check: a genuine one names its tenant; a wrong nonce, a forged tid or a foreign key → nothing', async () => {
    let idToken = '';
    const run = await adminConsentJourney(t, token, {
      beforeCallback: async (callbackUrl) => {
        const res = await t.ms.postForm(`/organizations/oauth2/v2.0/token`, {
          grant_type: 'authorization_code',
          client_id: SANDBOX_APP.clientId,
          client_secret: SANDBOX_APP.clientSecret,
          code: new URL(callbackUrl).searchParams.get('code') ?? '',
          redirect_uri: `${t.baseUrl}/v1/microsoft/admin-consent/callback`,
          scope: 'openid profile https://graph.microsoft.com/.default',
        });
        idToken = String(res.json().id_token);
      },
    });
    const nonce = new URL(continueUrlOf(run.page.html)).searchParams.get('nonce') ?? '';
    const verifier = t.app.get(IdTokenVerifier, { strict: false });
    expect(await verifier.verify(idToken, nonce)).toEqual({
      tenantId: CONTOSO_TENANT_ID,
      objectId: CONTOSO_ADMIN.id,
    });
    expect(await verifier.verify(idToken, 'another-nonce')).toBeNull();
    const [header, , signature] = idToken.split('.');
    const claims = decodeJwt(idToken);
    const retarget = (tid: string) =>
      Buffer.from(
        JSON.stringify({ ...claims, tid, iss: `${t.emulator.baseUrl}/${tid}/v2.0` }),
      ).toString('base64url');
    expect(
      await verifier.verify(`${header}.${retarget(FABRIKAM_TENANT_ID)}.${signature}`, nonce),
    ).toBeNull();
    const { privateKey } = await generateKeyPair('RS256');
    const foreign = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: decodeProtectedHeader(idToken).kid })
      .sign(privateKey);
    expect(await verifier.verify(foreign, nonce)).toBeNull();
    expect(run.landed?.searchParams.get('error')).toBe('admin_consent_failed');
  });

  it('a link for a named tenant goes to that tenant’s endpoint; another tenant’s consent is refused', async () => {
    const link = await adminConsentLink(t, token, { tenant: CONTOSO_TENANT_ID });
    const page = await call(t, 'GET', link);
    expect(new URL(continueUrlOf(page.body)).pathname).toBe(
      `/${CONTOSO_TENANT_ID}/oauth2/v2.0/authorize`,
    );
    const state = new URL(link).searchParams.get('link') ?? '';
    const forged = await call(
      t,
      'GET',
      `/v1/microsoft/admin-consent/callback?admin_consent=True&tenant=0b8e7d6c-5a4f-4c3b-8e2d-1f0a9b8c7d6e&state=${state}`,
    );
    expect(new URL(String(forged.headers.location)).searchParams.get('error')).toBe(
      'admin_consent_failed',
    );
  });

  it('validation: common is no tenant for admin consent; returnTo must be the frontend; unknown link → 404 page', async () => {
    const common = await call(t, 'POST', '/v1/microsoft/admin-consent', {
      token,
      body: { tenant: 'common' },
    });
    expect(common.status).toBe(400);
    expect(
      common.json<{ error: { code: string; details: { field: string }[] } }>().error,
    ).toMatchObject({
      code: 'validation_failed',
      details: [{ field: 'tenant' }],
    });
    const elsewhere = await call(t, 'POST', '/v1/microsoft/admin-consent', {
      token,
      body: { returnTo: 'https://evil.example/x' },
    });
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.json<{ error: { code: string } }>().error.code).toBe('invalid_return_to');
    const unauthenticated = await call(t, 'POST', '/v1/microsoft/admin-consent', { body: {} });
    expect(unauthenticated.status).toBe(401);
    const unknown = await call(
      t,
      'GET',
      `/v1/microsoft/admin-consent/start?link=${'x'.repeat(43)}`,
    );
    expect(unknown.status).toBe(404);
    expect(unknown.headers['content-type']).toContain('text/html');
    expect(unknown.headers['content-security-policy']).toContain("default-src 'self'");
  });

  it('another workspace: 404 on the organization, its sync and its removal; none of its mailboxes', async () => {
    for (const [method, path] of [
      ['GET', `/v1/organizations/${organizationId}`],
      ['POST', `/v1/organizations/${organizationId}/sync`],
      ['DELETE', `/v1/organizations/${organizationId}`],
    ] as const) {
      const res = await call(t, method, path, { token: other });
      expect(res.status).toBe(404);
      expect(res.json<{ error: { code: string } }>().error.code).toBe('organization_not_found');
    }
    const list = await call(t, 'GET', '/v1/organizations', { token: other });
    expect(list.json()).toEqual({ items: [], nextCursor: null });
    expect(await mailboxes(other)).toEqual([]);
    const [one] = await mailboxes();
    expect((await call(t, 'GET', `/v1/mailboxes/${one.id}`, { token: other })).status).toBe(404);
    expect((await organization()).status).toBe('active');
  });

  it('sync: a new user appears, a disabled and a deleted user retire, address changes reach identities', async () => {
    const c = t.emulator.control;
    c.addUser(CONTOSO_TENANT_ID, { displayName: 'Nina New', mail: 'nina@contoso.com' });
    c.setAccountEnabled(MEGAN.mail, false);
    c.addAlias(ADELE.mail, 'smtp:adele.v@contoso.com');
    c.removeAlias(ADELE.mail, 'av@sales.contoso.com');
    const before = new Map((await mailboxes()).map((m) => [m.email, m.id]));
    const res = await sync();
    expect(res.status).toBe(200);
    expect(res.json<OrganizationBody>()).toMatchObject({
      status: 'active',
      counts: { mailboxes: 5, excluded: { disabledAccounts: 2 } },
    });
    const after = new Map((await mailboxes()).map((m) => [m.email, m]));
    expect(after.has('nina@contoso.com')).toBe(true);
    expect(after.has(MEGAN.mail)).toBe(false);
    expect(after.get(ADELE.mail)?.id).toBe(before.get(ADELE.mail));
    expect(
      after
        .get(ADELE.mail)
        ?.identities.map((i) => `${i.email}:${i.status}`)
        .sort(),
    ).toEqual([
      'adele.v@contoso.com:active',
      'adele.vance@contoso.com:active',
      'adele@contoso.com:active',
      'av@sales.contoso.com:inactive',
    ]);
    const megan = await t.db.prisma.mailbox.findUniqueOrThrow({
      where: { id: before.get(MEGAN.mail) },
    });
    expect(megan).toMatchObject({ statusReason: 'left_organization' });
    expect(megan.disconnectedAt).not.toBeNull();
    expect(
      await t.db.prisma.outboxEvent.count({
        where: {
          name: 'mailbox.disconnected',
          payload: { equals: { mailboxId: megan.id, workspaceId: 'ws-org' } },
        },
      }),
    ).toBe(1);

    c.removeUser('nina@contoso.com');
    c.setAccountEnabled(MEGAN.mail, true);
    expect((await sync()).status).toBe(200);
    const again = new Map((await mailboxes()).map((m) => [m.email, m]));
    expect(again.has('nina@contoso.com')).toBe(false);
    expect(again.get(MEGAN.mail)?.id).toBe(before.get(MEGAN.mail));
    expect(again.get(MEGAN.mail)?.identities.every((i) => i.status === 'active')).toBe(true);
  });

  it('the same person connected delegated in this workspace keeps that connection; once disconnected, the organization takes the mailbox back', async () => {
    const { connectMailbox } = await import('../support/sending.js');
    const before = (await mailboxes()).find((m) => m.email === ADELE.mail) as MailboxBody;
    const delegated = await connectMailbox(t, token, ADELE.id);
    expect(delegated.mailboxId).toBe(before.id);
    const connected = (await mailboxes()).find((m) => m.email === ADELE.mail);
    expect(connected).toMatchObject({ connectionType: 'delegated', organizationId: null });
    const res = await sync();
    expect(res.json<OrganizationBody>().counts).toMatchObject({
      mailboxes: 4,
      excluded: { connectedDelegated: 1 },
    });
    expect((await mailboxes()).find((m) => m.email === ADELE.mail)?.connectionType).toBe(
      'delegated',
    );

    expect((await call(t, 'DELETE', `/v1/mailboxes/${before.id}`, { token })).status).toBe(204);
    await sync();
    expect((await mailboxes()).find((m) => m.email === ADELE.mail)).toMatchObject({
      id: before.id,
      connectionType: 'organization',
      organizationId,
      status: 'active',
    });
    expect(await t.db.prisma.mailboxCredential.count({ where: { mailboxId: before.id } })).toBe(0);
  });

  it('an organization mailbox a person disconnected stays disconnected through later syncs', async () => {
    const support = (await mailboxes()).find(
      (m) => m.email === SUPPORT_MAILBOX.mail,
    ) as MailboxBody;
    expect((await call(t, 'DELETE', `/v1/mailboxes/${support.id}`, { token })).status).toBe(204);
    const res = await sync();
    expect(res.json<OrganizationBody>().counts).toMatchObject({
      excluded: { disconnectedByUser: 1 },
    });
    expect((await mailboxes()).some((m) => m.email === SUPPORT_MAILBOX.mail)).toBe(false);
  });

  it('remove: 200 telling that Entra is what revokes Microsoft’s side; mailboxes retired, history kept; a new consent brings them back', async () => {
    const kept = await mailboxes();
    const res = await call(t, 'DELETE', `/v1/organizations/${organizationId}`, { token });
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({
      id: organizationId,
      tenantId: CONTOSO_TENANT_ID,
      retiredMailboxes: kept.filter((m) => m.connectionType === 'organization').length,
      notice: expect.stringContaining('enterprise application in the Microsoft Entra admin center'),
    });
    expect(await mailboxes()).toEqual([]);
    expect((await call(t, 'GET', `/v1/organizations/${organizationId}`, { token })).status).toBe(
      404,
    );
    expect((await call(t, 'GET', '/v1/organizations', { token })).json()).toEqual({
      items: [],
      nextCursor: null,
    });
    expect(await t.db.prisma.organization.count()).toBe(1);
    expect(
      await t.db.prisma.auditLog.count({
        where: { targetId: organizationId, action: 'organization.removed' },
      }),
    ).toBe(1);
    expect((await sync()).status).toBe(404);

    const run = await adminConsentJourney(t, token);
    expect(run.landed?.searchParams.get('organization')).toBe(organizationId);
    const back = await mailboxes();
    expect(back.map((m) => m.id).sort()).toEqual(kept.map((m) => m.id).sort());
    expect((await organization()).status).toBe('active');
  });

  it('a delegated Connect refused by tenant policy (admin_consent_required, next=admin_consent) → the hand-off for that tenant connects the person’s mailbox', async () => {
    const owner = await sandboxToken(t, 'owner-fab', 'ws-fabrikam');
    const refused = await connectJourney(t, owner, FABRIKAM_ALEX.id);
    expect(refused.landed.searchParams.get('error')).toBe('admin_consent_required');
    expect(refused.landed.searchParams.get('next')).toBe('admin_consent');
    const run = await adminConsentJourney(t, owner, {
      admin: FABRIKAM_ADMIN.id,
      body: { tenant: 'fabrikam.com' },
    });
    expect(new URL(continueUrlOf(run.page.html)).pathname).toBe(
      '/fabrikam.com/oauth2/v2.0/authorize',
    );
    expect(run.landed?.searchParams.get('organization')).toBeTruthy();
    expect((await mailboxes(owner)).map((m) => `${m.email}:${m.connectionType}`).sort()).toEqual([
      `${FABRIKAM_ADMIN.mail}:organization`,
      `${FABRIKAM_ALEX.mail}:organization`,
    ]);
  });
});
