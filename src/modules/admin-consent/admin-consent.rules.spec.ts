import { describe, expect, it } from '@jest/globals';
import {
  adminConsentUrl,
  allowedReturnTo,
  attemptIdOf,
  isTenantHint,
  judgeCallback,
  judgeIdToken,
  linkSecret,
  nonceOf,
} from './admin-consent.rules.js';

const TENANT = '6f1c2b9e-4a3d-4e8b-9c51-2d7a0e3f8b14';
const OTHER = '0b8e7d6c-5a4f-4c3b-8e2d-1f0a9b8c7d6e';

describe('judgeCallback (after the state was found usable)', () => {
  it('error wins over admin_consent=True: access_denied, anything else admin_consent_failed', () => {
    expect(judgeCallback({ error: 'access_denied', admin_consent: 'True' })).toMatchObject({
      ok: false,
      error: 'access_denied',
    });
    expect(judgeCallback({ error: 'permission_denied', code: 'c', tenant: TENANT })).toMatchObject({
      ok: false,
      error: 'admin_consent_failed',
    });
  });

  it('a code → ok; the query tenant is ignored; no code (or a code that is no string) → failed', () => {
    expect(judgeCallback({ code: 'abc', tenant: OTHER })).toEqual({ ok: true, code: 'abc' });
    const failed = { ok: false, error: 'admin_consent_failed' };
    expect(judgeCallback({ admin_consent: 'True', tenant: TENANT })).toMatchObject(failed);
    expect(judgeCallback({ code: ['abc'] })).toMatchObject(failed);
    expect(judgeCallback({ code: '' })).toMatchObject(failed);
  });
});

describe('judgeIdToken (the tenant comes from the verified id_token only)', () => {
  it('an unverified id_token, or another tenant than the link named by id → failed', () => {
    const failed = { ok: false, error: 'admin_consent_failed' };
    expect(judgeIdToken(null, null)).toMatchObject(failed);
    expect(judgeIdToken(OTHER, TENANT)).toMatchObject(failed);
  });

  it('the verified tenant (lower case), whatever the link named by domain', () => {
    expect(judgeIdToken(TENANT.toUpperCase(), null)).toEqual({ ok: true, tenantId: TENANT });
    expect(judgeIdToken(TENANT, TENANT)).toEqual({ ok: true, tenantId: TENANT });
    expect(judgeIdToken(TENANT, 'contoso.com')).toEqual({ ok: true, tenantId: TENANT });
  });
});

describe('links and URLs', () => {
  it('a link secret is 43 base64url characters; attempts are stored by its SHA-256', () => {
    expect(linkSecret('a'.repeat(43))).toBe('a'.repeat(43));
    for (const bad of ['a'.repeat(42), `${'a'.repeat(42)}=`, 42, undefined, ['x']])
      expect(linkSecret(bad)).toBeUndefined();
    expect(attemptIdOf('a'.repeat(43))).toMatch(/^[0-9a-f]{64}$/);
  });

  it('admin consent goes to /{tenant}/oauth2/v2.0/authorize or /organizations, never common', () => {
    const base = {
      authorityHost: 'https://login.microsoftonline.com',
      clientId: 'cid',
      redirectUri: 'https://api.example/v1/microsoft/admin-consent/callback',
      state: 's',
    };
    const url = new URL(adminConsentUrl({ ...base, tenant: null }));
    expect(url.pathname).toBe('/organizations/oauth2/v2.0/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: 'cid',
      response_type: 'code',
      response_mode: 'query',
      redirect_uri: base.redirectUri,
      scope: 'openid profile https://graph.microsoft.com/.default',
      prompt: 'admin_consent',
      state: 's',
      nonce: nonceOf('s'),
    });
    expect(nonceOf('s')).not.toBe(nonceOf('t'));
    expect(new URL(adminConsentUrl({ ...base, tenant: 'contoso.com' })).pathname).toBe(
      '/contoso.com/oauth2/v2.0/authorize',
    );
    expect(isTenantHint('common')).toBe(false);
    expect(isTenantHint('consumers')).toBe(false);
    expect(isTenantHint('organizations')).toBe(true);
    expect(isTenantHint(TENANT)).toBe(true);
    expect(isTenantHint('contoso.onmicrosoft.com')).toBe(true);
    expect(isTenantHint('contoso.com/../x')).toBe(false);
  });

  it('returnTo only on an allowed frontend origin, without credentials', () => {
    const allowed = ['https://app.scendcore.com'];
    expect(allowedReturnTo('https://app.scendcore.com/settings/email-setup', allowed)).toBe(true);
    expect(allowedReturnTo('https://evil.example/x', allowed)).toBe(false);
    expect(allowedReturnTo('https://u:p@app.scendcore.com/x', allowed)).toBe(false);
    expect(allowedReturnTo('not a url', allowed)).toBe(false);
  });
});
