import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  ADELE,
  CONTOSO_TENANT_ID,
  MEGAN,
  SANDBOX_APP,
  SVC_SCANNER,
} from '../../src/sandbox/seed.js';
import {
  call,
  connectJourney,
  cookiesOf,
  createSandboxApp,
  type SandboxApp,
  sandboxToken,
} from '../support/sandbox-app.js';

describe('Connect callback errors (e2e, provoked through the emulator)', () => {
  let t: SandboxApp;
  let token: string;

  beforeAll(async () => {
    t = await createSandboxApp();
    token = await sandboxToken(t, 'user-a', 'ws-a');
  });
  afterAll(() => t.close());
  beforeEach(() => {
    t.emulator.control.clearFaults();
    t.emulator.control.setUserConsentAllowed(CONTOSO_TENANT_ID, true);
  });

  const errorOf = (landed: URL) => landed.searchParams.get('error');
  const mailboxCount = () => t.db.prisma.mailbox.count();

  it('expired attempt → invalid_state', async () => {
    const run = await connectJourney(t, token, ADELE.id, {
      beforeCallback: async () => {
        await t.db.prisma.oAuthAttempt.updateMany({
          data: { expiresAt: new Date(Date.now() - 1000) },
        });
      },
    });
    expect(errorOf(run.landed)).toBe('invalid_state');
    expect(run.landed.searchParams.get('connected')).toBeNull();
  });

  it('replayed state → invalid_state, and the first connection stands', async () => {
    const first = await connectJourney(t, token, MEGAN.id);
    expect(first.landed.searchParams.get('connected')).toBeTruthy();
    const replay = await call(t, 'GET', first.callbackUrl as string, { cookie: first.cookie });
    expect(replay.status).toBe(302);
    expect(errorOf(new URL(String(replay.headers.location)))).toBe('invalid_state');
  });

  it("state of another user's attempt (their callback in this browser) → invalid_state", async () => {
    const other = await sandboxToken(t, 'user-b', 'ws-a');
    const start = await call(t, 'POST', '/v1/microsoft/connect', { token: other, body: {} });
    const otherBrowser = cookiesOf(start.headers['set-cookie']);
    const before = await mailboxCount();
    const run = await connectJourney(t, token, ADELE.id, { callbackCookie: otherBrowser });
    expect(errorOf(run.landed)).toBe('invalid_state');
    expect(await mailboxCount()).toBe(before);
  });

  it('issue 11.2: the connect link opened in another browser → invalid_state, nothing attached', async () => {
    const before = await mailboxCount();
    const start = await call(t, 'POST', '/v1/microsoft/connect', { token, body: {} });
    const link = start.json<{ authorizationUrl: string }>().authorizationUrl;
    const elsewhere = await call(t, 'GET', link); // a browser that never called connect
    expect(elsewhere.status).toBe(302);
    expect(errorOf(new URL(String(elsewhere.headers.location)))).toBe('invalid_state');
    const anotherAttempt = await call(t, 'POST', '/v1/microsoft/connect', { token, body: {} });
    const wrongCookie = await call(t, 'GET', link, {
      cookie: cookiesOf(anotherAttempt.headers['set-cookie']),
    });
    expect(errorOf(new URL(String(wrongCookie.headers.location)))).toBe('invalid_state');
    expect(await mailboxCount()).toBe(before);
  });

  it('issue 11.2: started in one cookie jar, completed in another → invalid_state, no mailbox', async () => {
    const before = await mailboxCount();
    const run = await connectJourney(t, token, ADELE.id, { callbackCookie: '' });
    expect(errorOf(run.landed)).toBe('invalid_state');
    expect(await mailboxCount()).toBe(before);
  });

  it('issue 11.3: the binding cookie is HttpOnly and SameSite=Lax; no sign-in state in any cookie', async () => {
    const start = await call(t, 'POST', '/v1/microsoft/connect', { token, body: {} });
    const [setCookie] = ([] as string[]).concat(start.headers['set-cookie'] ?? []);
    expect(setCookie).toMatch(/^scendcore_connect=/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const hop = await call(t, 'GET', start.json<{ authorizationUrl: string }>().authorizationUrl, {
      cookie: cookiesOf(start.headers['set-cookie']),
    });
    expect(hop.headers['set-cookie']).toBeUndefined();
    const attempts = await t.db.prisma.oAuthAttempt.findMany({ orderBy: { createdAt: 'desc' } });
    const states = attempts
      .map((a) => JSON.stringify(a.oidcSession ?? ''))
      .filter((json) => json.includes('nonce'));
    expect(states.length).toBeGreaterThan(0);
    const nonces = states.map((json) => /"nonce":"([^"]+)"/.exec(json)?.[1]);
    expect(new Set(nonces).size).toBe(nonces.length);
  });

  it('Cancel on the consent page → access_denied', async () => {
    t.emulator.store.grants.revokeUserConsent(ADELE.id, SANDBOX_APP.clientId);
    const run = await connectJourney(t, token, ADELE.id, { decision: 'cancel' });
    expect(errorOf(run.landed)).toBe('access_denied');
  });

  it('token endpoint failure → token_exchange_failed', async () => {
    t.emulator.control.failNext({
      method: 'POST',
      path: '/*/oauth2/v2.0/token',
      status: 500,
      body: { error: 'server_error' },
    });
    const before = await mailboxCount();
    const run = await connectJourney(t, token, ADELE.id);
    expect(errorOf(run.landed)).toBe('token_exchange_failed');
    expect(await mailboxCount()).toBe(before);
  });

  it('Graph /me failure → profile_fetch_failed', async () => {
    t.emulator.control.failNext({
      method: 'GET',
      path: '/v1.0/me',
      times: 5,
      status: 500,
      body: { error: { code: 'generalException', message: 'boom' } },
    });
    const run = await connectJourney(t, token, ADELE.id);
    expect(errorOf(run.landed)).toBe('profile_fetch_failed');
  });

  it('a user without a mailbox → profile_fetch_failed', async () => {
    const before = await mailboxCount();
    const run = await connectJourney(t, token, SVC_SCANNER.id);
    expect(errorOf(run.landed)).toBe('profile_fetch_failed');
    expect(await mailboxCount()).toBe(before);
  });

  it('a tenant refusing user consent → admin_consent_required', async () => {
    t.emulator.control.setUserConsentAllowed(CONTOSO_TENANT_ID, false);
    t.emulator.store.grants.revokeUserConsent(ADELE.id, SANDBOX_APP.clientId);
    const run = await connectJourney(t, token, ADELE.id);
    expect(errorOf(run.landed)).toBe('admin_consent_required');
    // What the frontend needs to offer the admin consent hand-off (issue 12).
    expect(run.landed.searchParams.get('next')).toBe('admin_consent');
  });

  it('an unknown attempt in the authorization URL → invalid_state without visiting Microsoft', async () => {
    const res = await call(t, 'GET', '/v1/microsoft/authorize?attempt=' + 'x'.repeat(43));
    expect(res.status).toBe(302);
    expect(errorOf(new URL(String(res.headers.location)))).toBe('invalid_state');
  });

  it('rejects a returnTo outside the frontend origins with 400', async () => {
    const res = await call(t, 'POST', '/v1/microsoft/connect', {
      token,
      body: { returnTo: 'https://evil.example/x' },
    });
    expect(res.status).toBe(400);
    expect(res.json<{ error: { code: string } }>().error.code).toBe('invalid_return_to');
  });

  it('sends the browser back to an allowed returnTo with the result', async () => {
    const run = await connectJourney(t, token, MEGAN.id, {
      returnTo: 'http://frontend.test/onboarding?step=2',
    });
    expect(run.landed.pathname).toBe('/onboarding');
    expect(run.landed.searchParams.get('step')).toBe('2');
    expect(run.landed.searchParams.get('connected')).toBeTruthy();
  });
});
