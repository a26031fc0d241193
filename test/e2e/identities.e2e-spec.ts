import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ADELE, CONTOSO_TENANT_ID, MEGAN, SUPPORT_MAILBOX } from '../../src/sandbox/seed.js';
import {
  call,
  connectJourney,
  createSandboxApp,
  type SandboxApp,
  sandboxToken,
} from '../support/sandbox-app.js';

interface IdentityBody {
  id: string;
  email: string;
  type: string;
  status: string;
  source: string;
  verifiedAt: string | null;
  senderProfileId: string | null;
}
interface MailboxBody {
  id: string;
  status: string;
  identities: IdentityBody[];
  identitiesScannedAt: string | null;
  identitiesScanError: string | null;
  changes?: { added: IdentityBody[]; removed: IdentityBody[] };
}

describe('identities (e2e against the emulator)', () => {
  let t: SandboxApp;
  let token: string;

  beforeAll(async () => {
    t = await createSandboxApp();
    token = await sandboxToken(t, 'user-a', 'ws-ids');
  });
  afterAll(() => t.close());

  const connect = async (msUserId: string, tok = token) => {
    const run = await connectJourney(t, tok, msUserId);
    const id = run.landed.searchParams.get('connected');
    if (!id) throw new Error(`connect failed: ${run.landed}`);
    return id;
  };
  const mailbox = async (id: string, tok = token) =>
    (await call(t, 'GET', `/v1/mailboxes/${id}`, { token: tok })).json<MailboxBody>();
  const refresh = async (id: string) => call(t, 'POST', `/v1/mailboxes/${id}/refresh`, { token });
  const emails = (m: MailboxBody) =>
    m.identities.map((i) => `${i.type}:${i.email}:${i.status}`).sort();

  it('connect discovers exactly the primary and the SMTP aliases, lower-cased, primary marked', async () => {
    const user = t.emulator.control.addUser(CONTOSO_TENANT_ID, {
      displayName: 'Pat Proxy',
      mail: 'Pat@Contoso.com',
      proxyAddresses: [
        'SMTP:Pat@Contoso.com',
        'smtp: Pat.Proxy@Sales.Contoso.com',
        'smtp:PAT.PROXY@sales.contoso.com',
        'smtp:pp@contoso.com',
        'SIP:pat@contoso.com',
        'X500:/o=ExchangeLabs/ou=Exchange Administrative Group/cn=Recipients/cn=pat',
      ],
    });
    const id = await connect(user.id);
    const m = await mailbox(id);
    expect(emails(m)).toEqual([
      'alias:pat.proxy@sales.contoso.com:active',
      'alias:pp@contoso.com:active',
      'primary:pat@contoso.com:active',
    ]);
    expect(m.identitiesScannedAt).not.toBeNull();
    expect(m.identities.every((i) => i.source === 'discovered')).toBe(true);
  });

  it('mail null → the UPN is the primary; no proxyAddresses → just the primary', async () => {
    const upnOnly = t.emulator.control.addUser(CONTOSO_TENANT_ID, {
      displayName: 'Una',
      userPrincipalName: 'Una@Contoso.com',
      mail: null,
      hasMailbox: true,
      proxyAddresses: [],
    });
    expect(emails(await mailbox(await connect(upnOnly.id)))).toEqual([
      'primary:una@contoso.com:active',
    ]);
    const personal = t.emulator.control.addUser(CONTOSO_TENANT_ID, {
      displayName: 'Solo',
      mail: 'solo@contoso.com',
      proxyAddresses: [],
    });
    expect(emails(await mailbox(await connect(personal.id)))).toEqual([
      'primary:solo@contoso.com:active',
    ]);
  });

  it('Refresh picks up an added alias, marks a removed one inactive keeping its assignment, and restores it with the same id', async () => {
    const user = t.emulator.control.addUser(CONTOSO_TENANT_ID, {
      displayName: 'Rae',
      mail: 'rae@contoso.com',
      proxyAddresses: ['SMTP:rae@contoso.com', 'smtp:rae.old@contoso.com'],
    });
    const id = await connect(user.id);
    t.emulator.control.addAlias(user.id, 'smtp:Rae.New@Contoso.com');
    const added = await refresh(id);
    expect(added.status).toBe(200);
    expect(added.json<MailboxBody>().changes?.added.map((i) => i.email)).toEqual([
      'rae.new@contoso.com',
    ]);
    expect(added.json<MailboxBody>().changes?.removed).toEqual([]);

    const old = (await mailbox(id)).identities.find(
      (i) => i.email === 'rae.old@contoso.com',
    ) as IdentityBody;
    await t.db.prisma.identity.update({
      where: { id: old.id },
      data: { senderProfileId: 'profile-1' },
    });
    t.emulator.control.removeAlias(user.id, 'smtp:rae.old@contoso.com');
    const removed = (await refresh(id)).json<MailboxBody>();
    expect(removed.changes?.removed).toEqual([
      expect.objectContaining({
        id: old.id,
        email: 'rae.old@contoso.com',
        status: 'inactive',
        senderProfileId: 'profile-1',
      }),
    ]);

    t.emulator.control.addAlias(user.id, 'smtp:rae.old@contoso.com');
    const back = (await refresh(id)).json<MailboxBody>();
    expect(back.changes?.added).toEqual([
      expect.objectContaining({ id: old.id, status: 'active', senderProfileId: 'profile-1' }),
    ]);
    const events = await t.db.prisma.outboxEvent.findMany({
      where: { name: { in: ['identity.discovered', 'identity.removed'] } },
    });
    expect(
      events
        .filter((e) => (e.payload as { identityId: string }).identityId === old.id)
        .map((e) => e.name)
        .sort(),
    ).toEqual(['identity.discovered', 'identity.discovered', 'identity.removed']);
  });

  it('Graph unavailable at connect: the mailbox still connects, shows the error, and Refresh retries', async () => {
    const user = t.emulator.control.addUser(CONTOSO_TENANT_ID, {
      displayName: 'Gus',
      mail: 'gus@contoso.com',
      proxyAddresses: ['SMTP:gus@contoso.com', 'smtp:g@contoso.com'],
    });
    // The profile read of the connect flow succeeds; discovery's $select read fails.
    t.emulator.control.addFault({
      method: 'GET',
      path: '/v1.0/me',
      after: 1,
      times: 3,
      response: {
        status: 503,
        body: { error: { code: 'serviceUnavailable', message: 'down' } },
        headers: { 'Retry-After': '0' },
      },
    });
    const id = await connect(user.id);
    const before = await mailbox(id);
    expect(before.status).toBe('active');
    expect(before.identitiesScanError).toMatch(/503/);
    expect(before.identities).toEqual([]);
    const after = (await refresh(id)).json<MailboxBody>();
    expect(emails(after)).toEqual(['alias:g@contoso.com:active', 'primary:gus@contoso.com:active']);
    expect(after.identitiesScanError).toBeNull();
  });

  it('Refresh while Graph keeps failing → 502 discovery_failed, and the mailbox shows the error', async () => {
    const user = t.emulator.control.addUser(CONTOSO_TENANT_ID, {
      displayName: 'Flo',
      mail: 'flo@contoso.com',
    });
    const id = await connect(user.id);
    t.emulator.control.addFault({
      method: 'GET',
      path: '/v1.0/me',
      userId: user.id,
      response: {
        status: 503,
        body: { error: { code: 'serviceUnavailable', message: 'down' } },
        headers: { 'Retry-After': '0' },
      },
    });
    const res = await refresh(id);
    expect(res.status).toBe(502);
    expect(res.json<{ error: { code: string } }>().error.code).toBe('discovery_failed');
    const m = await mailbox(id);
    expect(m.status).toBe('active');
    expect(m.identitiesScanError).toBe('graph_503_serviceUnavailable');
    t.emulator.control.clearFaults();
  });

  it('Refresh of a mailbox whose token is dead answers needs_reauth without calling Graph', async () => {
    const user = t.emulator.control.addUser(CONTOSO_TENANT_ID, {
      displayName: 'Dee',
      mail: 'dee@contoso.com',
    });
    const id = await connect(user.id);
    t.emulator.control.revokeRefreshTokens(user.id);
    await t.db.prisma.mailboxCredential.update({
      where: { mailboxId: id },
      data: { accessTokenExpiresAt: new Date() },
    });
    const graphCalls = () =>
      t.emulator.control.requestLog({ path: '/v1.0/me' }).filter((r) => r.userId === user.id)
        .length;
    const before = graphCalls();
    const res = await refresh(id);
    expect(graphCalls()).toBe(before);
    expect(res.status).toBe(409);
    expect(res.json<{ error: { code: string } }>().error.code).toBe('mailbox_needs_reauth');
    expect((await mailbox(id)).status).toBe('needs_reauth');
  });

  describe('Send As', () => {
    let adeleBox: string;
    beforeAll(async () => {
      adeleBox = await connect(ADELE.id);
    });

    it('add → listed as send_as; verify with a grant → verifiedAt and the test message went out from the address', async () => {
      const res = await call(t, 'POST', `/v1/mailboxes/${adeleBox}/send-as`, {
        token,
        body: { email: 'Support@Contoso.com', displayName: 'Contoso Support' },
      });
      expect(res.status).toBe(201);
      const identity = res.json<IdentityBody>();
      expect(identity).toMatchObject({
        email: 'support@contoso.com',
        type: 'send_as',
        source: 'manual',
        status: 'active',
        verifiedAt: null,
      });
      expect((await mailbox(adeleBox)).identities.map((i) => i.email)).toContain(
        'support@contoso.com',
      );

      const verified = await call(t, 'POST', `/v1/identities/${identity.id}/verify`, { token });
      expect(verified.status).toBe(200);
      expect(verified.json<IdentityBody>().verifiedAt).not.toBeNull();
      const sent = t.emulator.control.graph.sentMail({ from: SUPPORT_MAILBOX.mail });
      expect(sent).toHaveLength(1);
      expect(sent[0].from.address.toLowerCase()).toBe('support@contoso.com');
      expect(sent[0].from.name).toBe('Contoso Support');
      expect(sent[0].toRecipients.map((r) => r.address)).toEqual([ADELE.mail]);
    });

    it('verify without a grant → send_as_denied (422) and the identity says so', async () => {
      const res = await call(t, 'POST', `/v1/mailboxes/${adeleBox}/send-as`, {
        token,
        body: { email: MEGAN.mail },
      });
      const identity = res.json<IdentityBody>();
      const verify = await call(t, 'POST', `/v1/identities/${identity.id}/verify`, { token });
      expect(verify.status).toBe(422);
      expect(verify.json<{ error: { code: string; message: string } }>().error).toMatchObject({
        code: 'send_as_denied',
        message: expect.stringContaining('Exchange admin'),
      });
      const after = (await mailbox(adeleBox)).identities.find((i) => i.id === identity.id);
      expect(after?.status).toBe('send_as_denied');
    });

    it('duplicate → 409, malformed → 400, discovered identity cannot be deleted (409), manual one can (204)', async () => {
      const dup = await call(t, 'POST', `/v1/mailboxes/${adeleBox}/send-as`, {
        token,
        body: { email: 'SUPPORT@contoso.com' },
      });
      expect(dup.status).toBe(409);
      expect(dup.json<{ error: { code: string } }>().error.code).toBe('identity_exists');
      const alias = await call(t, 'POST', `/v1/mailboxes/${adeleBox}/send-as`, {
        token,
        body: { email: ADELE.mail },
      });
      expect(alias.status).toBe(409);
      const bad = await call(t, 'POST', `/v1/mailboxes/${adeleBox}/send-as`, {
        token,
        body: { email: 'not-an-address' },
      });
      expect(bad.status).toBe(400);
      expect(
        bad.json<{ error: { code: string; details: { field: string }[] } }>().error,
      ).toMatchObject({
        code: 'validation_failed',
        details: [expect.objectContaining({ field: 'email' })],
      });
      const before = await t.db.prisma.identity.count();
      expect(await t.db.prisma.identity.count()).toBe(before);

      const m = await mailbox(adeleBox);
      const primary = m.identities.find((i) => i.type === 'primary') as IdentityBody;
      const del = await call(t, 'DELETE', `/v1/identities/${primary.id}`, { token });
      expect(del.status).toBe(409);
      expect(del.json<{ error: { code: string } }>().error.code).toBe('identity_not_removable');
      const manual = m.identities.find((i) => i.source === 'manual') as IdentityBody;
      expect((await call(t, 'DELETE', `/v1/identities/${manual.id}`, { token })).status).toBe(204);
      expect((await mailbox(adeleBox)).identities.map((i) => i.id)).not.toContain(manual.id);
    });

    it('verify while Microsoft fails → 502 verification_failed, identity unchanged', async () => {
      const res = await call(t, 'POST', `/v1/mailboxes/${adeleBox}/send-as`, {
        token,
        body: { email: 'flaky@contoso.com' },
      });
      const identity = res.json<IdentityBody>();
      t.emulator.control.failNext({
        method: 'POST',
        path: '/v1.0/me/sendMail',
        status: 500,
        body: { error: { code: 'generalException', message: 'boom' } },
      });
      const verify = await call(t, 'POST', `/v1/identities/${identity.id}/verify`, { token });
      expect(verify.status).toBe(502);
      expect(verify.json<{ error: { code: string } }>().error.code).toBe('verification_failed');
      const after = (await mailbox(adeleBox)).identities.find((i) => i.id === identity.id);
      expect(after).toMatchObject({ status: 'active', verifiedAt: null });
      expect((await call(t, 'DELETE', `/v1/identities/${identity.id}`, { token })).status).toBe(
        204,
      );
    });

    it("another workspace's identity and mailbox → 404", async () => {
      const other = await sandboxToken(t, 'user-z', 'ws-other');
      const m = await mailbox(adeleBox);
      const any = m.identities[0];
      for (const [method, path] of [
        ['POST', `/v1/identities/${any.id}/verify`],
        ['DELETE', `/v1/identities/${any.id}`],
        ['POST', `/v1/mailboxes/${adeleBox}/send-as`],
        ['POST', `/v1/mailboxes/${adeleBox}/refresh`],
      ] as const) {
        const res = await call(t, method, path, {
          token: other,
          body:
            method === 'POST' && path.endsWith('send-as') ? { email: 'x@contoso.com' } : undefined,
        });
        expect(res.status).toBe(404);
      }
    });

    it('adding Send As to a mailbox that needs re-authentication → 422', async () => {
      await t.db.prisma.mailbox.update({
        where: { id: adeleBox },
        data: { status: 'needs_reauth' },
      });
      const res = await call(t, 'POST', `/v1/mailboxes/${adeleBox}/send-as`, {
        token,
        body: { email: 'later@contoso.com' },
      });
      expect(res.status).toBe(422);
      expect(res.json<{ error: { code: string } }>().error.code).toBe('mailbox_not_active');
      await t.db.prisma.mailbox.update({ where: { id: adeleBox }, data: { status: 'active' } });
    });
  });
});
