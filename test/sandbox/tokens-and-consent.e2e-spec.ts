import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { decodeJwt } from 'jose';
import { startM365Emulator, type M365Emulator } from '../../src/sandbox/emulator.js';
import {
  ADELE,
  CONTOSO_ADMIN,
  CONTOSO_TENANT_ID,
  FABRIKAM_ALEX,
  FABRIKAM_TENANT_ID,
  MEGAN,
  SANDBOX_APP,
} from '../../src/sandbox/seed.js';
import {
  authorizePath,
  decide,
  pickAccount,
  redeemCode,
  redirectParams,
  REDIRECT_URI,
  signInForCode,
} from './support/flow.js';
import { EmulatorHttp } from './support/https.js';
import { parseForm } from './support/pages.js';

describe('refresh tokens, client credentials and consent', () => {
  let emulator: M365Emulator;
  let http: EmulatorHttp;

  beforeAll(async () => {
    emulator = await startM365Emulator({ accessTokenLifetimeSec: 3900 });
    http = new EmulatorHttp(emulator.baseUrl, emulator.caCertPem);
  });

  afterAll(async () => {
    await http.close();
    await emulator.close();
  });

  const refresh = (refreshToken: string, extra: Record<string, string> = {}) =>
    http.postForm('/organizations/oauth2/v2.0/token', {
      grant_type: 'refresh_token',
      client_id: SANDBOX_APP.clientId,
      client_secret: SANDBOX_APP.clientSecret,
      refresh_token: refreshToken,
      ...extra,
    });

  const clientCredentials = (tenant: string, scope = 'https://graph.microsoft.com/.default') =>
    http.postForm(`/${tenant}/oauth2/v2.0/token`, {
      grant_type: 'client_credentials',
      client_id: SANDBOX_APP.clientId,
      client_secret: SANDBOX_APP.clientSecret,
      scope,
    });

  async function refreshTokenFor(userId: string): Promise<string> {
    const code = (await signInForCode(http, userId)).get('code') ?? '';
    return String((await redeemCode(http, code)).json().refresh_token);
  }

  it('rotates refresh tokens and keeps the old ones valid', async () => {
    const first = await refreshTokenFor(MEGAN.id);
    const second = (await refresh(first)).json();
    expect(second.expires_in).toBe(3900);
    expect(second.refresh_token).not.toBe(first);
    const third = (await refresh(String(second.refresh_token))).json();
    expect(third.refresh_token).not.toBe(second.refresh_token);
    const again = await refresh(first);
    expect(again.status).toBe(200);
    expect(decodeJwt(String(again.json().access_token)).oid).toBe(MEGAN.id);
  });

  it('fails revoked refresh tokens with invalid_grant AADSTS50173', async () => {
    const token = await refreshTokenFor(MEGAN.id);
    expect(emulator.control.revokeRefreshTokens(MEGAN.mail)).toBeGreaterThan(0);
    const res = await refresh(token);
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ error: 'invalid_grant', error_codes: [50173] });
    expect((await refresh('not-a-token')).json()).toMatchObject({
      error: 'invalid_grant',
      error_codes: [9002313],
    });
  });

  it('expires refresh tokens after 90 days of inactivity', async () => {
    const token = await refreshTokenFor(ADELE.id);
    emulator.control.advanceClock(91 * 86_400_000);
    try {
      expect((await refresh(token)).json()).toMatchObject({
        error: 'invalid_grant',
        error_codes: [700082],
      });
    } finally {
      emulator.control.advanceClock(-91 * 86_400_000);
    }
  });

  it('refuses to widen scopes on refresh without consent', async () => {
    const token = await refreshTokenFor(ADELE.id);
    const res = await refresh(token, { scope: 'Mail.ReadWrite.Shared' });
    expect(res.json()).toMatchObject({
      error: 'invalid_grant',
      error_codes: [65001],
      suberror: 'consent_required',
    });
  });

  it('rejects client credentials before admin consent and returns roles after it', async () => {
    const [northwind] = emulator.control.seed({
      tenants: [{ name: 'northwind', users: [{ displayName: 'Nina Admin', isAdmin: true }] }],
    }).tenants;
    const before = await clientCredentials(northwind.id);
    expect(before.status).toBe(400);
    expect(before.json()).toMatchObject({ error: 'unauthorized_client', error_codes: [700016] });
    // Only users consented in Contoso: app-only access still needs the admin's consent.
    await refreshTokenFor(ADELE.id);
    const userConsentOnly = await clientCredentials(CONTOSO_TENANT_ID);
    expect(userConsentOnly.status).toBe(400);
    expect(userConsentOnly.json()).toMatchObject({ error_codes: [700016] });
    const wrongScope = await clientCredentials(CONTOSO_TENANT_ID, 'Mail.Send');
    expect(wrongScope.json()).toMatchObject({ error: 'invalid_scope', error_codes: [1002012] });
    expect((await clientCredentials('common')).json()).toMatchObject({
      error: 'invalid_request',
      error_codes: [9001023],
    });
    emulator.control.grantAdminConsent(CONTOSO_TENANT_ID, SANDBOX_APP.clientId);
    const after = await clientCredentials('contoso.com');
    expect(after.status).toBe(200);
    const body = after.json();
    expect(body.refresh_token).toBeUndefined();
    expect(body.id_token).toBeUndefined();
    const claims = decodeJwt(String(body.access_token));
    expect(claims).toMatchObject({
      tid: CONTOSO_TENANT_ID,
      idtyp: 'app',
      appid: SANDBOX_APP.clientId,
    });
    expect(claims.roles).toEqual([
      'Mail.Send',
      'Mail.ReadWrite',
      'User.Read.All',
      'MailboxSettings.Read',
    ]);
    expect(claims.scp).toBeUndefined();
  });

  it('redirects with consent_required when the tenant refuses user consent', async () => {
    const page = await http.get(authorizePath({ tenant: 'fabrikam.com' }));
    const res = await pickAccount(http, page, FABRIKAM_ALEX.id);
    const params = redirectParams(res);
    expect(params.get('error')).toBe('consent_required');
    expect(params.get('error_description')).toMatch(/^AADSTS90094: /);
    expect(params.get('state')).toBe('state-123');
  });

  it('answers prompt=none with login_required, then consent_required, then a code', async () => {
    const none = (scope?: string, cookie?: string) =>
      http.get(authorizePath({ scope, extra: { prompt: 'none' } }), cookie ? { cookie } : {});
    expect(redirectParams(await none()).get('error')).toBe('login_required');
    const page = await http.get(authorizePath({ scope: 'openid User.Read' }));
    const signedIn = await pickAccount(http, page, CONTOSO_ADMIN.id);
    const cookie = String(signedIn.headers['set-cookie']).split(';')[0];
    if (signedIn.status === 200) await decide(http, signedIn, 'accept');
    const missing = redirectParams(await none('openid Mail.Read', cookie));
    expect(missing.get('error')).toBe('consent_required');
    expect(missing.get('error_description')).toMatch(/^AADSTS65001: /);
    const silent = redirectParams(await none('openid User.Read', cookie));
    expect(silent.get('code')).toBeTruthy();
    expect(silent.get('state')).toBe('state-123');
  });

  it('rejects a user from another tenant at a tenant-specific authority', async () => {
    const page = await http.get(authorizePath({ tenant: CONTOSO_TENANT_ID }));
    expect(page.text).not.toContain(FABRIKAM_ALEX.userPrincipalName);
    const form = parseForm(page.text, 'pick-account');
    const res = await http.postForm(form.action, {
      ...form.fields,
      login: FABRIKAM_ALEX.userPrincipalName,
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain('AADSTS50020');
  });

  describe('admin consent', () => {
    const adminConsentPath = (tenant: string, state = 'admin-state') =>
      `/${tenant}/v2.0/adminconsent?${new URLSearchParams({ client_id: SANDBOX_APP.clientId, scope: 'https://graph.microsoft.com/.default', redirect_uri: REDIRECT_URI, state })}`;

    it('rejects the common endpoint', async () => {
      const res = await http.get(adminConsentPath('common'));
      expect(res.status).toBe(400);
      expect(res.text).toContain('AADSTS90130');
    });

    it('refuses a non-admin on the page', async () => {
      const page = await http.get(adminConsentPath(FABRIKAM_TENANT_ID));
      const res = await pickAccount(http, page, FABRIKAM_ALEX.id);
      expect(res.status).toBe(400);
      expect(res.text).toContain('AADSTS90094');
    });

    it('Cancel redirects with access_denied, admin_consent=True without tenant, and the state', async () => {
      const page = await http.get(adminConsentPath('fabrikam.com'));
      const consent = await pickAccount(
        http,
        page,
        emulator.control.user('admin@fabrikam.onmicrosoft.com').id,
      );
      expect(consent.text).toContain('Accept for your organization');
      const params = redirectParams(await decide(http, consent, 'cancel'));
      expect(params.get('error')).toBe('access_denied');
      expect(params.get('state')).toBe('admin-state');
      expect(params.get('admin_consent')).toBe('True');
      expect(params.get('tenant')).toBeNull();
    });

    it('Accept records tenant-wide consent and redirects with admin_consent=True', async () => {
      const page = await http.get(adminConsentPath('organizations'));
      const consent = await pickAccount(
        http,
        page,
        emulator.control.user('admin@fabrikam.onmicrosoft.com').id,
      );
      expect(consent.text).toContain('Send mail as any user');
      const params = redirectParams(await decide(http, consent, 'accept'));
      expect(params.get('admin_consent')).toBe('True');
      expect(params.get('tenant')).toBe(FABRIKAM_TENANT_ID);
      expect(params.get('scope')).toBe('https://graph.microsoft.com/.default');
      expect(params.get('state')).toBe('admin-state');
      const token = await clientCredentials(FABRIKAM_TENANT_ID);
      expect(decodeJwt(String(token.json().access_token)).roles).toContain('Mail.Send');
      // Users of a tenant that refuses user consent now sign in without a consent page.
      const code = (await signInForCode(http, FABRIKAM_ALEX.id)).get('code');
      expect(code).toBeTruthy();
    });
  });
});
