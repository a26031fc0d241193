import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { startM365Emulator, type M365Emulator } from '../../src/sandbox/emulator.js';
import { ADELE, MEGAN, SANDBOX_APP, SUPPORT_MAILBOX, SVC_SCANNER } from '../../src/sandbox/seed.js';
import { redeemCode, signInForCode } from './support/flow.js';
import { EmulatorHttp } from './support/https.js';

describe('control API, faults and logs', () => {
  let emulator: M365Emulator;
  let http: EmulatorHttp;
  let accessToken: string;
  let refreshToken: string;

  const me = () => http.get('/v1.0/me', { authorization: `Bearer ${accessToken}` });
  const refresh = () =>
    http.postForm('/organizations/oauth2/v2.0/token', {
      grant_type: 'refresh_token',
      client_id: SANDBOX_APP.clientId,
      client_secret: SANDBOX_APP.clientSecret,
      refresh_token: refreshToken,
    });

  beforeAll(async () => {
    emulator = await startM365Emulator();
    http = new EmulatorHttp(emulator.baseUrl, emulator.caCertPem);
    const code = (await signInForCode(http, ADELE.id)).get('code') ?? '';
    const tokens = (await redeemCode(http, code)).json();
    accessToken = String(tokens.access_token);
    refreshToken = String(tokens.refresh_token);
  });

  beforeEach(() => {
    emulator.control.clearFaults();
    emulator.control.clearLogs();
  });

  afterAll(async () => {
    await http.close();
    await emulator.close();
  });

  it('serves /v1.0/me for the bearer token and 401s without one', async () => {
    const res = await me();
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({
      id: ADELE.id,
      displayName: ADELE.displayName,
      mail: ADELE.mail,
      userPrincipalName: ADELE.userPrincipalName,
    });
    const anonymous = await http.get('/v1.0/me');
    expect(anonymous.status).toBe(401);
    expect(anonymous.json()).toMatchObject({ error: { code: 'InvalidAuthenticationToken' } });
  });

  it('fails the next N matching calls with the given status, body and Retry-After', async () => {
    emulator.control.failNext({
      method: 'GET',
      path: '/v1.0/me',
      times: 2,
      status: 429,
      headers: { 'Retry-After': '7' },
      body: { error: { code: 'TooManyRequests', message: 'slow down' } },
    });
    const first = await me();
    expect(first.status).toBe(429);
    expect(first.headers['retry-after']).toBe('7');
    expect(first.json()).toMatchObject({ error: { code: 'TooManyRequests' } });
    expect((await me()).status).toBe(429);
    expect((await me()).status).toBe(200);
    expect(emulator.control.faults()).toHaveLength(0);
  });

  it('matches route patterns with wildcards', async () => {
    emulator.control.failNext({
      method: 'POST',
      path: '/*/oauth2/v2.0/token',
      status: 500,
      body: 'boom',
    });
    const res = await refresh();
    expect(res.status).toBe(500);
    expect(res.text).toBe('boom');
    expect((await refresh()).status).toBe(200);
  });

  it('adds latency globally and per route', async () => {
    emulator.control.addLatency(150, { method: 'GET', path: '/v1.0/me', times: 1 });
    let started = Date.now();
    expect((await me()).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    emulator.control.addLatency(100);
    started = Date.now();
    await http.get('/common/discovery/v2.0/keys');
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    emulator.control.addLatency(0);
  });

  it('makes the token endpoint unavailable with an Entra-shaped 503 until turned back on', async () => {
    emulator.control.setTokenEndpointAvailable(false, 30);
    const res = await refresh();
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('30');
    expect(res.json()).toMatchObject({ error: 'temporarily_unavailable', error_codes: [90006] });
    expect((await refresh()).status).toBe(503);
    emulator.control.setTokenEndpointAvailable(true);
    expect((await refresh()).status).toBe(200);
  });

  it('logs requests and token grants with their outcome', async () => {
    await me();
    await refresh();
    await http.postForm('/organizations/oauth2/v2.0/token', {
      grant_type: 'refresh_token',
      client_id: SANDBOX_APP.clientId,
      client_secret: 'wrong',
      refresh_token: refreshToken,
    });
    const requests = emulator.control.requestLog({ path: '/v1.0/me' });
    expect(requests).toEqual([
      expect.objectContaining({
        method: 'GET',
        path: '/v1.0/me',
        status: 200,
        userId: ADELE.id,
        host: expect.stringContaining('127.0.0.1'),
      }),
    ]);
    const tokens = emulator.control.tokenLog({ grantType: 'refresh_token' });
    expect(tokens.map((t) => [t.outcome, t.error, t.errorCode])).toEqual([
      ['issued', null, null],
      ['error', 'invalid_client', 7000215],
    ]);
    expect(tokens[0]).toMatchObject({ userId: ADELE.id, clientId: SANDBOX_APP.clientId });
  });

  it('edits aliases and mail, and seeds users, over the programmatic API', () => {
    emulator.control.addAlias(MEGAN.id, 'smtp:mb@contoso.com');
    expect(emulator.control.user('mb@contoso.com').id).toBe(MEGAN.id);
    emulator.control.removeAlias(MEGAN.id, 'MB@contoso.com');
    expect(emulator.store.directory.getUser(MEGAN.id)?.proxyAddresses).toEqual([
      ...MEGAN.proxyAddresses,
    ]);
    expect(
      emulator.store.directory.hasMailboxPermission(ADELE.id, SUPPORT_MAILBOX.id, 'sendAs'),
    ).toBe(true);
    expect(emulator.store.directory.getUser(SVC_SCANNER.id)).toMatchObject({
      mail: null,
      proxyAddresses: [],
      hasMailbox: false,
    });
    const world = emulator.control.seed({
      tenants: [
        {
          name: 'tailspin',
          domains: ['tailspin.com'],
          users: [
            {
              displayName: 'Tom Tail',
              mail: 'tom@tailspin.com',
              proxyAddresses: ['SMTP:tom@tailspin.com', 'smtp: T@Sales.Tailspin.com'],
            },
          ],
        },
      ],
    });
    expect(emulator.control.user('t@sales.tailspin.com').id).toBe(world.users[0].id);
  });

  it('offers the same operations over HTTP under /_emulator', async () => {
    expect((await http.get('/_emulator/health')).json()).toEqual({ status: 'ok' });
    expect(
      (
        await http.sendJson('POST', `/_emulator/users/${encodeURIComponent(ADELE.mail)}/aliases`, {
          proxyAddress: 'smtp:adele.v@contoso.com',
        })
      ).status,
    ).toBe(204);
    expect((await http.get('/_emulator/users/adele.v@contoso.com')).json()).toMatchObject({
      id: ADELE.id,
    });
    await http.sendJson('PUT', `/_emulator/users/${MEGAN.id}/mail`, { mail: null });
    expect(emulator.store.directory.getUser(MEGAN.id)?.mail).toBeNull();
    await http.sendJson('POST', `/_emulator/apps/${SANDBOX_APP.clientId}/redirect-uris`, {
      uri: 'https://app.example/callback',
    });
    expect(emulator.store.directory.getApp(SANDBOX_APP.clientId)?.redirectUris).toContain(
      'https://app.example/callback',
    );
    await http.sendJson('POST', '/_emulator/faults/fail-next', {
      method: 'GET',
      path: '/v1.0/me',
      status: 503,
      headers: { 'Retry-After': '2' },
    });
    expect((await me()).status).toBe(503);
    await http.sendJson('PUT', '/_emulator/token-endpoint', { available: false });
    expect((await refresh()).status).toBe(503);
    await http.sendJson('PUT', '/_emulator/token-endpoint', { available: true });
    const revoked = await http.sendJson('POST', `/_emulator/users/${ADELE.id}/revoke-sessions`);
    expect(revoked.json<{ revoked: number }>().revoked).toBeGreaterThan(0);
    expect((await refresh()).json()).toMatchObject({ error_codes: [50173] });
    const log = await http.get('/_emulator/logs/tokens?grantType=refresh_token&outcome=error');
    expect(log.json<unknown[]>().length).toBeGreaterThan(0);
    expect((await http.get('/_emulator/users/nobody@nowhere.example')).status).toBe(400);
  });

  it('reset restores the initial seed', async () => {
    emulator.control.setMail(ADELE.id, null);
    expect((await http.sendJson('POST', '/_emulator/reset')).status).toBe(204);
    expect(emulator.store.directory.getUser(ADELE.id)?.mail).toBe(ADELE.mail);
    expect(emulator.store.grants.listRefreshTokens()).toHaveLength(0);
  });
});
