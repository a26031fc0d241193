import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Agent } from 'undici';
import { ADELE, CONTOSO_TENANT_ID, MEGAN, SVC_SCANNER } from '../../src/sandbox/seed.js';
import { graphClientFor } from './support/graph-sdk.js';
import {
  appToken,
  graphCaller,
  startGraphWorld,
  userToken,
  type GraphWorld,
} from './support/graph-world.js';

describe('Graph emulator: users, auth and permissions', () => {
  let world: GraphWorld;
  let adeleToken: string;
  let app: string;
  const agents: Agent[] = [];

  beforeAll(async () => {
    world = await startGraphWorld();
    adeleToken = await userToken(world, ADELE.id, ['openid', 'User.Read', 'Mail.Read']);
    app = await appToken(world);
  });

  afterAll(async () => {
    await Promise.all(agents.map((a) => a.close()));
    await world.close();
  });

  function sdk(token: string) {
    const { client, agent } = graphClientFor(
      world.emulator.graphBaseUrl,
      world.emulator.caCertPem,
      () => token,
    );
    agents.push(agent);
    return client;
  }

  it('reads /me through the Graph SDK, proxyAddresses only when selected', async () => {
    const client = sdk(adeleToken);
    const selected = await client
      .api('/me')
      .select('id,mail,userPrincipalName,displayName,proxyAddresses')
      .get();
    expect(selected).toMatchObject({
      id: ADELE.id,
      mail: ADELE.mail,
      proxyAddresses: [...ADELE.proxyAddresses],
    });
    expect(selected['@odata.context']).toMatch(
      /\$metadata#users\(id,mail,userPrincipalName,displayName,proxyAddresses\)\/\$entity$/,
    );
    const plain = await client.api('/me').get();
    expect(plain).not.toHaveProperty('proxyAddresses');
    expect(Object.keys(plain).sort()).toEqual(
      [
        '@odata.context',
        'businessPhones',
        'displayName',
        'givenName',
        'id',
        'jobTitle',
        'mail',
        'mobilePhone',
        'officeLocation',
        'preferredLanguage',
        'surname',
        'userPrincipalName',
      ].sort(),
    );
  });

  it('answers request-id / client-request-id headers', async () => {
    const res = await graphCaller(world.http, adeleToken).get('/v1.0/me', {
      'client-request-id': 'abc-123',
    });
    expect(res.headers['client-request-id']).toBe('abc-123');
    expect(res.headers['request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('pages /users with $top, an opaque $skiptoken and $select (app token)', async () => {
    const graph = graphCaller(world.http, app);
    const first = await graph.get('/v1.0/users?$top=2&$select=id,mail,proxyAddresses');
    expect(first.status).toBe(200);
    const page1 = first.json<{
      value: Array<Record<string, unknown>>;
      '@odata.nextLink': string;
    }>();
    expect(page1.value).toHaveLength(2);
    expect(Object.keys(page1.value[0]).sort()).toEqual(['id', 'mail', 'proxyAddresses']);
    expect(page1['@odata.nextLink']).toMatch(/\$skiptoken=/);
    const ids = page1.value.map((u) => u.id);
    let next: string | undefined = page1['@odata.nextLink'];
    while (next) {
      const res = await graph.get(next);
      const page = res.json<{ value: Array<{ id: string }>; '@odata.nextLink'?: string }>();
      ids.push(...page.value.map((u) => u.id));
      next = page['@odata.nextLink'];
    }
    const tenantUsers = world.emulator.control.users(CONTOSO_TENANT_ID).map((u) => u.id);
    expect(ids.sort()).toEqual(tenantUsers.sort());
  });

  it('pages /users through the SDK PageIterator-style nextLink and rejects $top over 999', async () => {
    const client = sdk(app);
    const page = await client.api('/users').top(3).get();
    expect(page.value).toHaveLength(3);
    const second = await client.api(page['@odata.nextLink']).get();
    expect(second.value.length).toBeGreaterThan(0);
    const res = await graphCaller(world.http, app).get('/v1.0/users?$top=1000');
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'Request_UnsupportedQuery' } });
  });

  it('finds users by id or UPN and answers Request_ResourceNotFound otherwise', async () => {
    const graph = graphCaller(world.http, app);
    const byUpn = await graph.get(`/v1.0/users/${MEGAN.userPrincipalName}?$select=id,displayName`);
    expect(byUpn.json()).toMatchObject({ id: MEGAN.id, displayName: MEGAN.displayName });
    const byKey = await graph.get(`/v1.0/users('${MEGAN.id}')`);
    expect(byKey.json()).toMatchObject({ id: MEGAN.id });
    const missing = await graph.get('/v1.0/users/nobody@contoso.com');
    expect(missing.status).toBe(404);
    const body = missing.json<{ error: { code: string; innerError: Record<string, string> } }>();
    expect(body.error.code).toBe('Request_ResourceNotFound');
    expect(body.error.innerError['request-id']).toBe(missing.headers['request-id']);
    expect(body.error.innerError.date).toBeDefined();
  });

  it('rejects missing, malformed and expired tokens with 401 InvalidAuthenticationToken', async () => {
    const anonymous = await world.http.get('/v1.0/me');
    expect(anonymous.status).toBe(401);
    expect(anonymous.json()).toMatchObject({ error: { code: 'InvalidAuthenticationToken' } });
    expect(anonymous.headers['www-authenticate']).toMatch(/^Bearer/);
    const garbage = await graphCaller(world.http, 'not-a-jwt').get('/v1.0/me');
    expect(garbage.status).toBe(401);
    const token = await userToken(world, MEGAN.id, ['openid', 'User.Read']);
    world.emulator.control.advanceClock(3 * 3600_000);
    try {
      const expired = await graphCaller(world.http, token).get('/v1.0/me');
      expect(expired.status).toBe(401);
      expect(expired.json()).toMatchObject({ error: { code: 'InvalidAuthenticationToken' } });
    } finally {
      world.emulator.control.advanceClock(-3 * 3600_000);
    }
  });

  it('answers 403 for missing permissions, the way each Graph workload does', async () => {
    const userReadOnly = await userToken(world, MEGAN.id, ['openid', 'User.Read']);
    const graph = graphCaller(world.http, userReadOnly);
    const users = await graph.get('/v1.0/users');
    expect(users.status).toBe(403);
    expect(users.json()).toMatchObject({ error: { code: 'Authorization_RequestDenied' } });
    const messages = await graph.get('/v1.0/me/messages');
    expect(messages.status).toBe(403);
    expect(messages.json()).toMatchObject({ error: { code: 'ErrorAccessDenied' } });
    const send = await graph.post('/v1.0/me/sendMail', {
      message: { subject: 'x', toRecipients: [{ emailAddress: { address: MEGAN.mail } }] },
    });
    expect(send.status).toBe(403);
    const other = await graphCaller(world.http, adeleToken).get(`/v1.0/users/${MEGAN.id}/messages`);
    expect(other.status).toBe(403);
    expect(other.json()).toMatchObject({ error: { code: 'ErrorAccessDenied' } });
  });

  it('refuses /me with an app token and reads any mailbox with it', async () => {
    const graph = graphCaller(world.http, app);
    const me = await graph.get('/v1.0/me');
    expect(me.status).toBe(400);
    expect(me.json()).toMatchObject({
      error: {
        code: 'BadRequest',
        message: '/me request is only valid with delegated authentication flow.',
      },
    });
    const megan = await graph.get(`/v1.0/users/${MEGAN.userPrincipalName}/messages`);
    expect(megan.status).toBe(200);
  });

  it('answers MailboxNotEnabledForRESTAPI for a user without a mailbox', async () => {
    const graph = graphCaller(world.http, app);
    const profile = await graph.get(`/v1.0/users/${SVC_SCANNER.id}?$select=mail,userPrincipalName`);
    expect(profile.json()).toMatchObject({
      mail: null,
      userPrincipalName: SVC_SCANNER.userPrincipalName,
    });
    for (const res of [
      await graph.get(`/v1.0/users/${SVC_SCANNER.id}/messages`),
      await graph.post(`/v1.0/users/${SVC_SCANNER.id}/sendMail`, {
        message: { subject: 's', toRecipients: [{ emailAddress: { address: MEGAN.mail } }] },
      }),
    ]) {
      expect(res.status).toBe(404);
      expect(res.json()).toMatchObject({ error: { code: 'MailboxNotEnabledForRESTAPI' } });
    }
    const delegated = await userToken(world, SVC_SCANNER.id, ['openid', 'User.Read', 'Mail.Read']);
    const mine = await graphCaller(world.http, delegated).get(
      '/v1.0/me/mailFolders/inbox/messages',
    );
    expect(mine.json()).toMatchObject({ error: { code: 'MailboxNotEnabledForRESTAPI' } });
  });

  it('answers unknown segments and malformed JSON bodies with Graph errors', async () => {
    const graph = graphCaller(world.http, adeleToken);
    const unknown = await graph.get('/v1.0/me/nonsense');
    expect(unknown.status).toBe(400);
    expect(unknown.json()).toMatchObject({
      error: { code: 'BadRequest', message: "Resource not found for the segment 'nonsense'." },
    });
    const broken = await world.http.send(
      'POST',
      '/v1.0/me/sendMail',
      { authorization: `Bearer ${adeleToken}`, 'content-type': 'application/json' },
      '{"message":',
    );
    expect(broken.status).toBe(400);
    expect(broken.json()).toMatchObject({ error: { code: 'BadRequest' } });
  });

  it('keeps tenants apart: another tenant’s user is not found', async () => {
    const fabrikamUser = world.emulator.control
      .users()
      .find((u) => u.tenantId !== CONTOSO_TENANT_ID && u.mail);
    const res = await graphCaller(world.http, app).get(`/v1.0/users/${fabrikamUser?.id}`);
    expect(res.status).toBe(404);
  });
});
