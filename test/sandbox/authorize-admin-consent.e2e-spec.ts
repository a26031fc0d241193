import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { decodeJwt } from 'jose';
import { startM365Emulator, type M365Emulator } from '../../src/sandbox/emulator.js';
import { SANDBOX_APP } from '../../src/sandbox/seed.js';
import type { Tenant, User } from '../../src/sandbox/store.js';
import { authorizePath, decide, pickAccount, redeemCode, redirectParams } from './support/flow.js';
import { EmulatorHttp } from './support/https.js';

const GRAPH_DEFAULT = 'https://graph.microsoft.com/.default';

describe('authorize with prompt=admin_consent: sign-in of an admin, admin consent, id_token', () => {
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
          name: 'tailspin',
          domains: ['tailspin.com'],
          users: [
            { displayName: 'Tia Admin', mail: 'tia@tailspin.com', isAdmin: true },
            { displayName: 'Walt Worker', mail: 'walt@tailspin.com' },
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

  const adminPrompt = (segment: string, nonce = 'n-1') =>
    http.get(
      authorizePath({
        tenant: segment,
        scope: `openid profile ${GRAPH_DEFAULT}`,
        nonce,
        state: 'st-1',
        extra: { prompt: 'admin_consent' },
      }),
    );
  const clientCredentials = () =>
    http.postForm(`/${tenant.id}/oauth2/v2.0/token`, {
      grant_type: 'client_credentials',
      client_id: SANDBOX_APP.clientId,
      client_secret: SANDBOX_APP.clientSecret,
      scope: GRAPH_DEFAULT,
    });

  it('a non-admin is sent back with error=access_denied (AADSTS90094); nothing is granted', async () => {
    const back = redirectParams(
      await pickAccount(http, await adminPrompt('organizations'), worker.id),
    );
    expect(back.get('error')).toBe('access_denied');
    expect(back.get('error_description')).toMatch(/^AADSTS90094: /);
    expect(back.get('state')).toBe('st-1');
    expect(back.has('code')).toBe(false);
    expect((await clientCredentials()).status).toBe(400);
  });

  it('Cancel on the admin consent page → error=access_denied; nothing is granted', async () => {
    const page = await pickAccount(http, await adminPrompt('organizations'), admin.id);
    expect(page.text).toContain('id="consent-form"');
    const back = redirectParams(await decide(http, page, 'cancel'));
    expect(back.get('error')).toBe('access_denied');
    expect((await clientCredentials()).status).toBe(400);
  });

  it('an admin Accepts → admin consent recorded (client_credentials works), the code yields an id_token with tid, oid, nonce and the tenant issuer', async () => {
    const page = await pickAccount(http, await adminPrompt(tenant.id, 'n-accept'), admin.id);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Accept');
    expect(page.text).toContain('Send mail as any user');
    const back = redirectParams(await decide(http, page, 'accept'));
    expect(back.get('state')).toBe('st-1');
    const code = back.get('code') ?? '';
    expect(code).not.toBe('');
    expect(back.has('admin_consent')).toBe(false);

    const redeemed = await redeemCode(http, code, { scope: `openid profile ${GRAPH_DEFAULT}` });
    expect(redeemed.status).toBe(200);
    const claims = decodeJwt(String(redeemed.json().id_token));
    expect(claims).toMatchObject({
      tid: tenant.id,
      oid: admin.id,
      nonce: 'n-accept',
      aud: SANDBOX_APP.clientId,
      iss: `${emulator.baseUrl}/${tenant.id}/v2.0`,
    });

    const app = await clientCredentials();
    expect(app.status).toBe(200);
    expect(String(decodeJwt(String(app.json().access_token)).roles)).toContain('Mail.Send');
  });

  it('bulk tenants have an admin who can consent', async () => {
    const bulk = emulator.control.seedBulkTenant({ users: 3, name: 'bulkco' });
    const admins = emulator.control.users(bulk.tenantId).filter((u) => u.isAdmin);
    expect(admins).toHaveLength(1);
    const page = await pickAccount(http, await adminPrompt('organizations'), admins[0].id);
    const back = redirectParams(await decide(http, page, 'accept'));
    expect(back.get('code')).toBeTruthy();
  });
});
