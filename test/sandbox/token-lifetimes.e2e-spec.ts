import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { decodeJwt } from 'jose';
import {
  ADELE,
  CONTOSO_TENANT_ID,
  FABRIKAM_ALEX,
  FABRIKAM_TENANT_ID,
  SANDBOX_APP,
} from '../../src/sandbox/seed.js';
import { graphCaller, startGraphWorld, type GraphWorld } from './support/graph-world.js';

describe('access-token lifetimes and revoked grants', () => {
  let world: GraphWorld;

  beforeAll(async () => {
    world = await startGraphWorld();
    world.emulator.control.grantAdminConsent(CONTOSO_TENANT_ID, SANDBOX_APP.clientId);
  });

  afterEach(() => {
    world.emulator.control.setTokenLifetime({ accessTokenSec: null });
    world.emulator.control.setTokenLifetime({ accessTokenSec: null, tenantId: CONTOSO_TENANT_ID });
  });

  afterAll(() => world.close());

  const clientCredentials = () =>
    world.http.postForm(`/${CONTOSO_TENANT_ID}/oauth2/v2.0/token`, {
      grant_type: 'client_credentials',
      client_id: SANDBOX_APP.clientId,
      client_secret: SANDBOX_APP.clientSecret,
      scope: 'https://graph.microsoft.com/.default',
    });
  const refresh = (refreshToken: string) =>
    world.http.postForm('/organizations/oauth2/v2.0/token', {
      grant_type: 'refresh_token',
      client_id: SANDBOX_APP.clientId,
      client_secret: SANDBOX_APP.clientSecret,
      refresh_token: refreshToken,
    });
  const lifetimeOf = (token: string) => {
    const claims = decodeJwt(token);
    return Number(claims.exp) - Number(claims.iat);
  };

  it('honours a global lifetime in expires_in and exp, and the token expires with it', async () => {
    world.emulator.control.setTokenLifetime({ accessTokenSec: 300 });
    const body = (await clientCredentials()).json();
    expect(body).toMatchObject({ expires_in: 300, ext_expires_in: 300 });
    expect(lifetimeOf(String(body.access_token))).toBe(300);
    const graph = graphCaller(world.http, String(body.access_token));
    expect((await graph.get('/v1.0/users?$top=1')).status).toBe(200);
    world.emulator.control.advanceClock(301_000);
    try {
      const expired = await graph.get('/v1.0/users?$top=1');
      expect(expired.status).toBe(401);
      expect(expired.json()).toMatchObject({ error: { code: 'InvalidAuthenticationToken' } });
    } finally {
      world.emulator.control.advanceClock(-301_000);
    }
  });

  it('lets a tenant have its own lifetime over the global one (over HTTP)', async () => {
    await world.http.sendJson('PUT', '/_emulator/token-lifetime', { accessTokenSec: 600 });
    await world.http.sendJson('PUT', '/_emulator/token-lifetime', {
      accessTokenSec: 120,
      tenantId: 'contoso.com',
    });
    expect((await clientCredentials()).json().expires_in).toBe(120);
    const adele = world.emulator.control.issueUserTokens(ADELE.id, SANDBOX_APP.clientId, [
      'offline_access',
      'User.Read',
    ]);
    expect(adele.expiresIn).toBe(120);
    expect(lifetimeOf(adele.accessToken)).toBe(120);
    const refreshed = (await refresh(adele.refreshToken)).json();
    expect(refreshed.expires_in).toBe(120);
    expect(lifetimeOf(String(refreshed.access_token))).toBe(120);
    const alex = world.emulator.control.issueUserTokens(FABRIKAM_ALEX.id, SANDBOX_APP.clientId, [
      'User.Read',
    ]);
    expect(decodeJwt(alex.accessToken).tid).toBe(FABRIKAM_TENANT_ID);
    expect(alex.expiresIn).toBe(600);
    await world.http.sendJson('PUT', '/_emulator/token-lifetime', { accessTokenSec: null });
    const random = world.emulator.control.issueUserTokens(FABRIKAM_ALEX.id, SANDBOX_APP.clientId, [
      'User.Read',
    ]);
    expect(random.expiresIn).toBeGreaterThanOrEqual(3600);
    expect(random.expiresIn).toBeLessThanOrEqual(5400);
    const bad = await world.http.sendJson('PUT', '/_emulator/token-lifetime', {
      accessTokenSec: -5,
    });
    expect(bad.status).toBe(400);
  });

  it('answers a refresh with a revoked grant with 400 invalid_grant AADSTS50173', async () => {
    const { refreshToken } = world.emulator.control.issueUserTokens(
      ADELE.id,
      SANDBOX_APP.clientId,
      ['offline_access', 'Mail.Send'],
    );
    expect((await refresh(refreshToken)).status).toBe(200);
    expect(world.emulator.control.revokeRefreshTokens(ADELE.mail)).toBeGreaterThan(0);
    const res = await refresh(refreshToken);
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ error: 'invalid_grant', error_codes: [50173] });
    expect(String(res.json().error_description)).toMatch(/^AADSTS50173: /);
  });
});
