import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  ADELE,
  CONTOSO_TENANT_ID,
  MEGAN,
  SANDBOX_APP,
  SUPPORT_MAILBOX,
  SVC_SCANNER,
} from '../../src/sandbox/seed.js';
import type { User } from '../../src/sandbox/store.js';
import {
  appToken,
  graphCaller,
  startGraphWorld,
  userToken,
  type GraphCaller,
  type GraphWorld,
} from './support/graph-world.js';

interface DirectoryUser {
  id: string;
  accountEnabled: boolean;
  mail: string | null;
}

describe('organizations: mailbox kinds, mailboxSettings, application access policies', () => {
  let world: GraphWorld;
  let app: GraphCaller;
  let room: User;
  let equipment: User;
  let formerEmployee: User;

  beforeAll(async () => {
    world = await startGraphWorld();
    app = graphCaller(world.http, await appToken(world));
    const { control } = world.emulator;
    room = control.addUser(CONTOSO_TENANT_ID, {
      displayName: 'Board Room',
      mail: 'boardroom@contoso.com',
      kind: 'room',
    });
    const added = await world.http.sendJson(
      'POST',
      `/_emulator/tenants/${CONTOSO_TENANT_ID}/users`,
      {
        displayName: 'Projector 1',
        mail: 'projector1@contoso.com',
        kind: 'equipment',
      },
    );
    equipment = added.json<User>();
    formerEmployee = control.addUser(CONTOSO_TENANT_ID, {
      displayName: 'Fred Former',
      mail: 'fred@contoso.com',
    });
    const blocked = await world.http.sendJson(
      'PUT',
      `/_emulator/users/${formerEmployee.id}/account-enabled`,
      { accountEnabled: false },
    );
    expect(blocked.status).toBe(204);
  });

  afterAll(() => world.close());

  const purposeOf = async (caller: GraphCaller, path: string) =>
    (await caller.get(`${path}/mailboxSettings/userPurpose`)).json<{ value: string }>().value;

  it('lists shared, room and equipment mailboxes and blocked users with accountEnabled false', async () => {
    const res = await app.get(
      '/v1.0/users?$select=id,displayName,mail,accountEnabled,proxyAddresses',
    );
    const byId = new Map(res.json<{ value: DirectoryUser[] }>().value.map((u) => [u.id, u]));
    expect(byId.get(ADELE.id)?.accountEnabled).toBe(true);
    for (const id of [SUPPORT_MAILBOX.id, room.id, equipment.id, formerEmployee.id])
      expect(byId.get(id)?.accountEnabled).toBe(false);
  });

  it('tells them apart by mailboxSettings.userPurpose (app token)', async () => {
    const purposes = await Promise.all(
      [
        ADELE.id,
        SUPPORT_MAILBOX.userPrincipalName,
        room.id,
        equipment.mail ?? '',
        formerEmployee.id,
      ].map((u) => purposeOf(app, `/v1.0/users/${u}`)),
    );
    expect(purposes).toEqual(['user', 'shared', 'room', 'equipment', 'user']);
    const full = await app.get(`/v1.0/users/${SUPPORT_MAILBOX.id}/mailboxSettings`);
    expect(full.status).toBe(200);
    expect(full.json()).toMatchObject({
      '@odata.context': expect.stringContaining(`users('${SUPPORT_MAILBOX.id}')/mailboxSettings`),
      userPurpose: 'shared',
      timeZone: 'UTC',
      language: { locale: 'en-US' },
    });
    const selected = await app.get(`/v1.0/users/${room.id}/mailboxSettings?$select=userPurpose`);
    expect(Object.keys(selected.json()).sort()).toEqual(['@odata.context', 'userPurpose']);
    const unknown = await app.get(`/v1.0/users/${room.id}/mailboxSettings?$select=colour`);
    expect(unknown.status).toBe(400);
  });

  it('answers MailboxNotEnabledForRESTAPI for an account without a mailbox', async () => {
    const res = await app.get(`/v1.0/users/${SVC_SCANNER.id}/mailboxSettings`);
    expect(res.status).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: 'MailboxNotEnabledForRESTAPI' } });
  });

  it('needs MailboxSettings.Read: app role, or delegated scope for /me', async () => {
    const mailOnly = graphCaller(
      world.http,
      await appToken(world, CONTOSO_TENANT_ID, ['Mail.Send']),
    );
    const denied = await mailOnly.get(`/v1.0/users/${ADELE.id}/mailboxSettings`);
    expect(denied.status).toBe(403);
    expect(denied.json()).toMatchObject({ error: { code: 'ErrorAccessDenied' } });
    const megan = graphCaller(
      world.http,
      await userToken(world, MEGAN.id, ['openid', 'MailboxSettings.Read']),
    );
    expect(await purposeOf(megan, '/v1.0/me')).toBe('user');
    const noScope = graphCaller(
      world.http,
      await userToken(world, MEGAN.id, ['openid', 'User.Read']),
    );
    expect((await noScope.get('/v1.0/me/mailboxSettings')).status).toBe(403);
    app = graphCaller(world.http, await appToken(world));
  });

  it('reads userPurpose for 20 mailboxes in one $batch, and refuses 21', async () => {
    const ids = [ADELE.id, SUPPORT_MAILBOX.id, room.id, equipment.id, SVC_SCANNER.id];
    const requests = Array.from({ length: 20 }, (_, i) => ({
      id: String(i + 1),
      method: 'GET',
      url: `/users/${ids[i % ids.length]}/mailboxSettings?$select=userPurpose`,
    }));
    const res = await app.post('/v1.0/$batch', { requests });
    expect(res.status).toBe(200);
    const responses = res
      .json<{ responses: Array<{ id: string; status: number; body: Record<string, unknown> }> }>()
      .responses.sort((a, b) => Number(a.id) - Number(b.id));
    expect(
      responses.slice(0, 5).map((r) => [r.status, r.body.userPurpose ?? r.body.error]),
    ).toEqual([
      [200, 'user'],
      [200, 'shared'],
      [200, 'room'],
      [200, 'equipment'],
      [404, expect.objectContaining({ code: 'MailboxNotEnabledForRESTAPI' })],
    ]);
    expect(responses).toHaveLength(20);
    const tooMany = await app.post('/v1.0/$batch', {
      requests: [...requests, { ...requests[0], id: '21' }],
    });
    expect(tooMany.status).toBe(400);
  });

  it('blocks app-only mail and mailboxSettings for mailboxes an access policy denies', async () => {
    world.emulator.control.setApplicationAccessPolicy({
      tenantId: CONTOSO_TENANT_ID,
      clientId: SANDBOX_APP.clientId,
      mailboxes: [MEGAN.mail, SUPPORT_MAILBOX.id],
    });
    try {
      for (const res of [
        await app.get(`/v1.0/users/${MEGAN.id}/messages`),
        await app.get(`/v1.0/users/${SUPPORT_MAILBOX.id}/mailboxSettings`),
        await app.post(`/v1.0/users/${MEGAN.id}/sendMail`, {
          message: {
            subject: 'blocked',
            toRecipients: [{ emailAddress: { address: ADELE.mail } }],
          },
        }),
      ]) {
        expect(res.status).toBe(403);
        expect(res.json()).toMatchObject({
          error: { code: 'ErrorAccessDenied', message: expect.stringContaining('AccessPolicy') },
        });
      }
      expect((await app.get(`/v1.0/users/${ADELE.id}/messages`)).status).toBe(200);
      const listed = (await app.get('/v1.0/users?$top=999')).json<{ value: DirectoryUser[] }>()
        .value;
      expect(listed.map((u) => u.id)).toEqual(
        expect.arrayContaining([MEGAN.id, SUPPORT_MAILBOX.id]),
      );
      expect((await app.get(`/v1.0/users/${MEGAN.id}`)).status).toBe(200);
      const megan = graphCaller(world.http, await userToken(world, MEGAN.id));
      expect((await megan.get('/v1.0/me/messages')).status).toBe(200);
    } finally {
      world.emulator.control.removeApplicationAccessPolicy(CONTOSO_TENANT_ID);
    }
    expect((await app.get(`/v1.0/users/${MEGAN.id}/messages`)).status).toBe(200);
  });

  it('restricts an app to some mailboxes over HTTP (RestrictAccess), for that app only', async () => {
    const path = `/_emulator/tenants/contoso.com/application-access-policy`;
    const set = await world.http.sendJson('PUT', path, {
      clientId: SANDBOX_APP.clientId,
      accessRight: 'RestrictAccess',
      mailboxes: [ADELE.mail],
    });
    expect(set.json()).toMatchObject({ accessRight: 'RestrictAccess', mailboxIds: [ADELE.id] });
    expect((await app.get(`/v1.0/users/${ADELE.id}/mailboxSettings`)).status).toBe(200);
    expect((await app.get(`/v1.0/users/${MEGAN.id}/mailboxSettings`)).status).toBe(403);
    await world.http.sendJson('PUT', path, {
      clientId: 'another-app',
      mailboxes: [],
      accessRight: 'RestrictAccess',
    });
    expect((await app.get(`/v1.0/users/${MEGAN.id}/mailboxSettings`)).status).toBe(200);
    expect((await world.http.sendJson('DELETE', path)).json()).toEqual({ removed: true });
  });

  it('sends app-only with the Mail.Send role; the request log shows the path and an app token', async () => {
    world.emulator.control.clearLogs();
    const res = await app.post(`/v1.0/users/${SUPPORT_MAILBOX.mail}/sendMail`, {
      message: {
        subject: 'From support, app-only',
        toRecipients: [{ emailAddress: { address: ADELE.mail } }],
      },
    });
    expect(res.status).toBe(202);
    expect(world.emulator.control.graph.sentMail().at(-1)).toMatchObject({
      mailboxId: SUPPORT_MAILBOX.id,
      actorUserId: null,
      clientId: SANDBOX_APP.clientId,
      subject: 'From support, app-only',
    });
    const log = await world.http.get('/_emulator/logs/requests?tokenKind=app&path=sendMail');
    expect(log.json()).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: `/v1.0/users/${SUPPORT_MAILBOX.mail}/sendMail`,
        status: 202,
        tokenKind: 'app',
        userId: null,
        tenantId: CONTOSO_TENANT_ID,
        clientId: SANDBOX_APP.clientId,
      }),
    ]);
    expect(world.emulator.control.requestLog({ tokenKind: 'user', path: 'sendMail' })).toEqual([]);
  });
});
