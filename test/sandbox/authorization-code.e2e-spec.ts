import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createLocalJWKSet, decodeJwt, jwtVerify, type JSONWebKeySet } from 'jose';
import { startM365Emulator, type M365Emulator } from '../../src/sandbox/emulator.js';
import { ADELE, CONTOSO_TENANT_ID, SANDBOX_APP } from '../../src/sandbox/seed.js';
import {
  authorizePath,
  decide,
  pickAccount,
  pkcePair,
  redeemCode,
  redirectParams,
  REDIRECT_URI,
  signInForCode,
} from './support/flow.js';
import { EmulatorHttp } from './support/https.js';

describe('authorization code flow', () => {
  let emulator: M365Emulator;
  let http: EmulatorHttp;

  beforeAll(async () => {
    emulator = await startM365Emulator({ seed: 'default' });
    http = new EmulatorHttp(emulator.baseUrl, emulator.caCertPem);
  });

  afterAll(async () => {
    await http.close();
    await emulator.close();
  });

  it('publishes Azure-shaped OIDC metadata with the issuer template for organizations', async () => {
    const res = await http.get('/organizations/v2.0/.well-known/openid-configuration');
    expect(res.status).toBe(200);
    const doc = res.json();
    expect(doc.issuer).toBe(`${emulator.baseUrl}/{tenantid}/v2.0`);
    expect(doc.authorization_endpoint).toBe(
      `${emulator.baseUrl}/organizations/oauth2/v2.0/authorize`,
    );
    expect(doc.jwks_uri).toBe(`${emulator.baseUrl}/organizations/discovery/v2.0/keys`);
    expect(doc.id_token_signing_alg_values_supported).toEqual(['RS256']);
    expect(doc.response_modes_supported).toEqual(['query', 'fragment', 'form_post']);
    expect(doc.tenant_region_scope).toBeNull();
    const byDomain = (await http.get('/contoso.com/v2.0/.well-known/openid-configuration')).json();
    expect(byDomain.issuer).toBe(`${emulator.baseUrl}/${CONTOSO_TENANT_ID}/v2.0`);
    expect(byDomain.token_endpoint).toBe(
      `${emulator.baseUrl}/${CONTOSO_TENANT_ID}/oauth2/v2.0/token`,
    );
    const unknown = await http.get('/nowhere.example/v2.0/.well-known/openid-configuration');
    expect(unknown.status).toBe(400);
    expect(unknown.json().error_codes).toEqual([90002]);
  });

  it('serves RS256 keys with kid, x5t, n and e', async () => {
    const { keys } = (await http.get('/common/discovery/v2.0/keys')).json<JSONWebKeySet>();
    expect(keys[0]).toMatchObject({ kty: 'RSA', use: 'sig', e: 'AQAB' });
    expect(keys[0].kid).toBe(keys[0].x5t);
    expect(typeof keys[0].n).toBe('string');
  });

  it('signs in, consents and returns tokens whose id_token verifies against the JWKS', async () => {
    const page = await http.get(authorizePath({ nonce: 'n-0S6_WzA2Mj' }));
    expect(page.status).toBe(200);
    expect(page.text).toContain('Pick an account');
    const consent = await pickAccount(http, page, ADELE.id);
    expect(consent.text).toContain('Permissions requested');
    expect(consent.text).toContain('Send mail as you');
    const params = redirectParams(await decide(http, consent, 'accept'));
    expect(params.get('state')).toBe('state-123');
    const token = await redeemCode(http, params.get('code') ?? '');
    expect(token.status).toBe(200);
    const body = token.json<Record<string, string | number>>();
    expect(body).toMatchObject({ token_type: 'Bearer' });
    expect(body.scope).toBe('User.Read Mail.Send openid profile email');
    expect(Number(body.expires_in)).toBeGreaterThanOrEqual(3600);
    expect(Number(body.expires_in)).toBeLessThanOrEqual(5400);
    expect(typeof body.refresh_token).toBe('string');
    const jwks = createLocalJWKSet(
      (await http.get('/common/discovery/v2.0/keys')).json<JSONWebKeySet>(),
    );
    const { payload } = await jwtVerify(String(body.id_token), jwks, {
      audience: SANDBOX_APP.clientId,
    });
    expect(payload.iss).toBe(`${emulator.baseUrl}/${payload.tid}/v2.0`);
    expect(payload).toMatchObject({
      tid: CONTOSO_TENANT_ID,
      oid: ADELE.id,
      nonce: 'n-0S6_WzA2Mj',
      ver: '2.0',
    });
    expect(payload).toMatchObject({
      preferred_username: ADELE.userPrincipalName,
      name: ADELE.displayName,
      email: ADELE.mail,
    });
    const access = decodeJwt(String(body.access_token));
    expect(access).toMatchObject({
      aud: '00000003-0000-0000-c000-000000000000',
      tid: CONTOSO_TENANT_ID,
      oid: ADELE.id,
      scp: 'User.Read Mail.Send',
      upn: ADELE.userPrincipalName,
    });
  });

  it('skips the consent page once the user has consented', async () => {
    const page = await http.get(authorizePath());
    const next = await pickAccount(http, page, ADELE.id);
    expect(next.status).toBe(302);
    expect(redirectParams(next).get('code')).toBeTruthy();
  });

  it('rejects a second redemption of the same code with AADSTS54005', async () => {
    const code = (await signInForCode(http, ADELE.id)).get('code') ?? '';
    expect((await redeemCode(http, code)).status).toBe(200);
    const again = await redeemCode(http, code);
    expect(again.status).toBe(400);
    const body = again.json<Record<string, unknown>>();
    expect(body.error).toBe('invalid_grant');
    expect(body.error_codes).toEqual([54005]);
    expect(String(body.error_description)).toMatch(
      /^AADSTS54005: .* Trace ID: [0-9a-f-]+ Correlation ID: [0-9a-f-]+ Timestamp: \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/,
    );
    expect(body).toHaveProperty('trace_id');
    expect(body).toHaveProperty('correlation_id');
    expect(body).toHaveProperty('timestamp');
    expect(body).toHaveProperty('error_uri');
  });

  it('shows AADSTS50011 for an unregistered redirect URI and never redirects there', async () => {
    const res = await http.get(authorizePath({ redirectUri: 'https://evil.example/callback' }));
    expect(res.status).toBe(400);
    expect(res.headers.location).toBeUndefined();
    expect(res.text).toContain('AADSTS50011');
  });

  it('shows AADSTS700016 for an unknown client', async () => {
    const res = await http.get(authorizePath({ clientId: '11111111-2222-3333-4444-555555555555' }));
    expect(res.status).toBe(400);
    expect(res.text).toContain('AADSTS700016');
  });

  it('rejects redemption with another redirect URI than the authorize request', async () => {
    const code = (await signInForCode(http, ADELE.id)).get('code') ?? '';
    const res = await redeemCode(http, code, { redirect_uri: 'http://localhost:4000/other' });
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ error: 'invalid_grant', error_codes: [70000] });
  });

  it('expires codes after 10 minutes', async () => {
    const code = (await signInForCode(http, ADELE.id)).get('code') ?? '';
    emulator.control.advanceClock(11 * 60_000);
    try {
      const res = await redeemCode(http, code);
      expect(res.json()).toMatchObject({ error: 'invalid_grant', error_codes: [70008] });
    } finally {
      emulator.control.advanceClock(-11 * 60_000);
    }
  });

  it('checks the PKCE verifier (S256) when a challenge was sent', async () => {
    const { verifier, challenge } = pkcePair();
    const extra = { code_challenge: challenge, code_challenge_method: 'S256' };
    const good = (await signInForCode(http, ADELE.id, { extra })).get('code') ?? '';
    expect((await redeemCode(http, good, { code_verifier: verifier })).status).toBe(200);
    const bad = (await signInForCode(http, ADELE.id, { extra })).get('code') ?? '';
    const res = await redeemCode(http, bad, { code_verifier: pkcePair().verifier });
    expect(res.json()).toMatchObject({ error: 'invalid_grant', error_codes: [501481] });
    const missing = (await signInForCode(http, ADELE.id, { extra })).get('code') ?? '';
    expect((await redeemCode(http, missing)).json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('answers 401 invalid_client AADSTS7000215 to a wrong secret (body or Basic)', async () => {
    const code = (await signInForCode(http, ADELE.id)).get('code') ?? '';
    const res = await redeemCode(http, code, { client_secret: 'not-the-secret' });
    expect(res.status).toBe(401);
    expect(res.json()).toMatchObject({ error: 'invalid_client', error_codes: [7000215] });
    const basic = Buffer.from(`${SANDBOX_APP.clientId}:wrong`).toString('base64');
    const viaBasic = await http.postForm(
      '/organizations/oauth2/v2.0/token',
      { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI },
      { authorization: `Basic ${basic}` },
    );
    expect(viaBasic.status).toBe(401);
    expect(viaBasic.json()).toMatchObject({ error: 'invalid_client', error_codes: [7000215] });
  });

  it('returns a form_post page that posts code and state to the redirect URI', async () => {
    const page = await http.get(authorizePath({ extra: { response_mode: 'form_post' } }));
    const res = await pickAccount(http, page, ADELE.id);
    expect(res.status).toBe(200);
    expect(res.text).toContain(`action="${REDIRECT_URI}"`);
    expect(res.text).toMatch(/name="code" value="[^"]+"/);
    expect(res.text).toContain('name="state" value="state-123"');
  });

  it('supports the hybrid code id_token response with c_hash and nonce (form_post)', async () => {
    const extra = { response_type: 'code id_token', response_mode: 'form_post' };
    const page = await http.get(authorizePath({ nonce: 'hybrid-nonce', extra }));
    const res = await pickAccount(http, page, ADELE.id);
    const idToken = /name="id_token" value="([^"]+)"/.exec(res.text)?.[1] ?? '';
    const claims = decodeJwt(idToken);
    expect(claims).toMatchObject({
      nonce: 'hybrid-nonce',
      aud: SANDBOX_APP.clientId,
      tid: CONTOSO_TENANT_ID,
    });
    expect(typeof claims.c_hash).toBe('string');
    const refused = await http.get(
      authorizePath({ extra: { response_type: 'code id_token', response_mode: 'query' } }),
    );
    expect(redirectParams(refused).get('error')).toBe('invalid_request');
  });

  it('redirects with access_denied AADSTS65004 when the user cancels', async () => {
    const page = await http.get(authorizePath({ scope: 'openid Mail.ReadWrite' }));
    const consent = await pickAccount(http, page, ADELE.id);
    const params = redirectParams(await decide(http, consent, 'cancel'));
    expect(params.get('error')).toBe('access_denied');
    expect(params.get('error_description')).toBe(
      'AADSTS65004: User declined to consent to access the app.',
    );
    expect(params.get('state')).toBe('state-123');
  });
});
