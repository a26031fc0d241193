import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { decodeJwt } from 'jose';
import { startM365Emulator, type M365Emulator } from '../../src/sandbox/emulator.js';
import { SANDBOX_APP } from '../../src/sandbox/seed.js';
import type { Tenant, User } from '../../src/sandbox/store.js';
import {
  decide,
  pickAccount,
  redeemCode,
  redirectParams,
  REDIRECT_URI,
  signInForCode,
} from './support/flow.js';
import { graphCaller } from './support/graph-world.js';
import { EmulatorHttp } from './support/https.js';

describe('organizations: admin consent and app-only access', () => {
  let emulator: M365Emulator;
  let http: EmulatorHttp;
  let tenant: Tenant;
  let admin: User;
  let worker: User;

  beforeAll(async () => {
    emulator = await startM365Emulator();
    http = new EmulatorHttp(emulator.baseUrl, emulator.caCertPem);
    const world = emulator.control.seed({
      tenants: [
        {
          name: 'litware',
          domains: ['litware.com'],
          users: [
            { displayName: 'Lia Admin', mail: 'lia@litware.com', isAdmin: true },
            { displayName: 'Will Worker', mail: 'will@litware.com' },
          ],
        },
      ],
    });
    [tenant] = world.tenants;
    [admin, worker] = world.users;
  });

  afterAll(async () => {
    await http.close();
    await emulator.close();
  });

  const clientCredentials = () =>
    http.postForm(`/${tenant.id}/oauth2/v2.0/token`, {
      grant_type: 'client_credentials',
      client_id: SANDBOX_APP.clientId,
      client_secret: SANDBOX_APP.clientSecret,
      scope: 'https://graph.microsoft.com/.default',
    });
  const adminConsentPage = async () => {
    const q = new URLSearchParams({
      client_id: SANDBOX_APP.clientId,
      scope: 'https://graph.microsoft.com/.default',
      redirect_uri: REDIRECT_URI,
      state: 'org-state',
    });
    const page = await http.get(`/organizations/v2.0/adminconsent?${q}`);
    return pickAccount(http, page, admin.id);
  };
  const expectNoAppAccess = async () => {
    const res = await clientCredentials();
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ error: 'unauthorized_client', error_codes: [700016] });
    expect(String(res.json().error_description)).toMatch(
      /^AADSTS700016: Application with identifier/,
    );
  };
  const consentAndToken = async () => {
    const params = redirectParams(await decide(http, await adminConsentPage(), 'accept'));
    expect(params.get('tenant')).toBe(tenant.id);
    const token = await clientCredentials();
    expect(token.status).toBe(200);
    return String(token.json().access_token);
  };

  it('refuses client_credentials before consent, and after Cancel', async () => {
    await expectNoAppAccess();
    const page = await adminConsentPage();
    expect(page.text).toContain('Accept');
    expect(page.text).toContain('Cancel');
    const params = redirectParams(await decide(http, page, 'cancel'));
    expect(params.get('error')).toBe('access_denied');
    expect(params.get('error_description')).toMatch(/^AADSTS65004: /);
    expect(params.get('admin_consent')).toBe('True');
    expect(params.has('tenant')).toBe(false);
    expect(params.get('state')).toBe('org-state');
    await expectNoAppAccess();
  });

  it('issues app-only tokens after Accept, for that tenant only', async () => {
    const token = await consentAndToken();
    expect(decodeJwt(token)).toMatchObject({ tid: tenant.id, idtyp: 'app' });
    const users = await graphCaller(http, token).get('/v1.0/users');
    expect(users.status).toBe(200);
    expect(users.json<{ value: unknown[] }>().value).toHaveLength(2);
    const contoso = await http.postForm('/contoso.com/oauth2/v2.0/token', {
      grant_type: 'client_credentials',
      client_id: SANDBOX_APP.clientId,
      client_secret: SANDBOX_APP.clientSecret,
      scope: 'https://graph.microsoft.com/.default',
    });
    expect(contoso.json()).toMatchObject({ error: 'unauthorized_client' });
  });

  it('revoking admin consent ends client_credentials and already issued tokens (403)', async () => {
    const token = await consentAndToken();
    emulator.control.revokeAdminConsent(tenant.id, SANDBOX_APP.clientId);
    await expectNoAppAccess();
    const denied = await graphCaller(http, token).get('/v1.0/users');
    expect(denied.status).toBe(403);
    expect(denied.json()).toMatchObject({ error: { code: 'Authorization_RequestDenied' } });
    const send = await graphCaller(http, token).post(`/v1.0/users/${worker.id}/sendMail`, {
      message: { subject: 'x', toRecipients: [{ emailAddress: { address: admin.mail } }] },
    });
    expect(send.status).toBe(403);
    expect(send.json()).toMatchObject({ error: { code: 'Authorization_RequestDenied' } });
  });

  it('removing the service principal (over HTTP) ends app-only and delegated access', async () => {
    const token = await consentAndToken();
    const code = (await signInForCode(http, worker.id)).get('code') ?? '';
    const refreshToken = String((await redeemCode(http, code)).json().refresh_token);
    const removed = await http.sendJson(
      'DELETE',
      `/_emulator/tenants/litware.com/service-principals/${SANDBOX_APP.clientId}`,
    );
    expect(removed.status).toBe(200);
    expect(removed.json()).toEqual({ revokedRefreshTokens: 1 });
    await expectNoAppAccess();
    expect((await graphCaller(http, token).get('/v1.0/users')).json()).toMatchObject({
      error: { code: 'Authorization_RequestDenied' },
    });
    const refresh = await http.postForm('/organizations/oauth2/v2.0/token', {
      grant_type: 'refresh_token',
      client_id: SANDBOX_APP.clientId,
      client_secret: SANDBOX_APP.clientSecret,
      refresh_token: refreshToken,
    });
    expect(refresh.json()).toMatchObject({ error: 'invalid_grant', error_codes: [50173] });
    expect(emulator.store.grants.userConsentedScopes(worker.id, SANDBOX_APP.clientId)).toEqual([]);
    await consentAndToken();
  });

  it('refuses to remove the service principal from the app home tenant', async () => {
    const app = emulator.store.directory.getApp(SANDBOX_APP.clientId);
    const res = await http.sendJson(
      'DELETE',
      `/_emulator/tenants/${app?.homeTenantId}/service-principals/${SANDBOX_APP.clientId}`,
    );
    expect(res.status).toBe(400);
  });
});
