import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash, randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { createApp } from '../../src/app.factory.js';
import { buildStaff, legacyScryptHash, STAFF_PASSWORD } from '../factories/staff.js';
import { ConsoleBrowser } from '../support/console.js';
import { createTestDatabase } from '../support/database.js';
import { startInstances } from '../support/instances.js';
import { call, createSandboxApp, type SandboxApp, sandboxToken } from '../support/sandbox-app.js';
import { freePort } from '../sandbox/support/ports.js';

const BOOTSTRAP = { email: 'ops@scendcore.test', password: 'bootstrap password 1' };

function setCookie(headers: Record<string, unknown>, name: string): string {
  const lines = [headers['set-cookie'] ?? []].flat() as string[];
  return lines.find((line) => line.startsWith(`${name}=`)) ?? '';
}

describe('operations console: staff sign-in, sessions, CSRF (e2e)', () => {
  let t: SandboxApp;

  beforeAll(async () => {
    t = await createSandboxApp({
      CONSOLE_BOOTSTRAP_EMAIL: BOOTSTRAP.email,
      CONSOLE_BOOTSTRAP_PASSWORD: BOOTSTRAP.password,
      CONSOLE_LOGIN_MAX_FAILURES: '3',
    });
  });
  afterAll(() => t.close());

  it('creates the bootstrap admin once, audited as the system', async () => {
    const staff = await t.db.prisma.staffUser.findMany();
    expect(staff).toMatchObject([
      { email: BOOTSTRAP.email, role: 'admin', createdBy: 'bootstrap' },
    ]);
    expect(staff[0].passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    const audit = await t.db.prisma.auditLog.findMany({ where: { action: 'staff.created' } });
    expect(audit).toMatchObject([
      { actorType: 'system', actorId: 'bootstrap', targetId: staff[0].id },
    ]);
  });

  it('signs in a staff user whose password is a scrypt hash of old and re-hashes it to argon2id', async () => {
    const legacy = legacyScryptHash('an old staff password');
    const staff = await buildStaff(t.db.prisma, { passwordHash: legacy });
    const wrong = await new ConsoleBrowser(t.baseUrl).login(staff.email, 'not the password');
    expect(wrong.headers.location).not.toBe('/admin');
    const stored = async () =>
      (await t.db.prisma.staffUser.findUniqueOrThrow({ where: { id: staff.id } })).passwordHash;
    // A refused sign-in changes nothing.
    expect(await stored()).toBe(legacy);

    const res = await new ConsoleBrowser(t.baseUrl).login(staff.email, 'an old staff password');
    expect([res.status, res.headers.location]).toEqual([303, '/admin']);
    const upgraded = await stored();
    expect(upgraded).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    const again = await new ConsoleBrowser(t.baseUrl).login(staff.email, 'an old staff password');
    expect(again.headers.location).toBe('/admin');
    // Hashed once: the argon2id hash is kept from then on.
    expect(await stored()).toBe(upgraded);
  });

  it('sends visitors without a session to the sign-in page; a bearer token opens nothing', async () => {
    const browser = new ConsoleBrowser(t.baseUrl);
    const page = await browser.call('GET', '/admin/resources/mailboxes');
    expect(page.status).toBe(303);
    expect(page.headers.location).toBe('/admin/login?next=%2Fadmin%2Fresources%2Fmailboxes');
    const token = await sandboxToken(t);
    for (const path of [
      '/admin',
      '/admin/api/resources/mailboxes/actions/list',
      '/admin/api/dashboard',
    ]) {
      const res = await call(t, 'GET', path, { token });
      expect([res.status, res.headers.location]).toEqual([
        303,
        expect.stringMatching(/^\/admin\/login/),
      ]);
      expect(res.body).not.toContain('records');
    }
  });

  it('signs in with email and password: session cookie HttpOnly + SameSite=Lax, CSRF cookie readable', async () => {
    const browser = new ConsoleBrowser(t.baseUrl);
    const res = await browser.login(BOOTSTRAP.email.toUpperCase(), BOOTSTRAP.password);
    expect([res.status, res.headers.location]).toEqual([303, '/admin']);
    const session = setCookie(res.headers, 'scendcore_console');
    expect(session).toMatch(/; Path=\/admin; HttpOnly; SameSite=Lax$/);
    expect(session).not.toContain('Secure');
    expect(setCookie(res.headers, 'XSRF-TOKEN')).toMatch(/; Path=\/admin; SameSite=Strict$/);
    const token = browser.cookies.get('scendcore_console') as string;
    const rows = await t.db.prisma.consoleSession.findMany();
    // The database keeps only the SHA-256 of the cookie's token.
    expect(rows.map((r) => r.id)).toContain(createHash('sha256').update(token).digest('hex'));
    expect(JSON.stringify(rows)).not.toContain(token);

    const shell = await browser.call('GET', '/admin');
    expect(shell.status).toBe(200);
    const csp = String(shell.headers['content-security-policy']);
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(shell.body).toContain(`<script nonce="${nonce}">`);
    expect(shell.body).not.toContain('fonts.googleapis.com');
    expect(shell.headers['cache-control']).toBe('no-store');
  });

  it('refuses AdminJS API calls without the session’s CSRF token and writes from other origins', async () => {
    const browser = new ConsoleBrowser(t.baseUrl);
    await browser.login(BOOTSTRAP.email, BOOTSTRAP.password);
    expect((await browser.api('/resources/workspaces/actions/list')).status).toBe(200);
    expect((await browser.api('/resources/mailbox_credentials/actions/list')).status).toBe(404);
    expect((await browser.api('/resources/workspaces/actions/drop')).status).toBe(404);
    // Raw record actions exist only switched off: AdminJS answers them with a refusal.
    const del = await browser.api('/resources/workspaces/actions/bulkDelete?recordIds=x', 'POST');
    expect(del.json<{ notice: { type: string } }>().notice.type).toBe('error');
    const noHeader = await browser.call('GET', '/admin/api/resources/workspaces/actions/list');
    expect([noHeader.status, noHeader.json()]).toEqual([403, expect.objectContaining({})]);
    expect(noHeader.json<{ error: { code: string } }>().error.code).toBe('csrf_failed');
    const other = new ConsoleBrowser(t.baseUrl);
    await other.login(BOOTSTRAP.email, BOOTSTRAP.password);
    const stolen = await browser.call('GET', '/admin/api/resources/workspaces/actions/list', {
      headers: { 'x-xsrf-token': other.cookies.get('XSRF-TOKEN') as string },
    });
    expect(stolen.status).toBe(403);
    const crossSite = await browser.call('POST', '/admin/api/resources/staff_users/actions/new', {
      headers: {
        origin: 'https://evil.example',
        'x-xsrf-token': browser.cookies.get('XSRF-TOKEN') as string,
      },
      form: { email: 'evil@example.com', role: 'admin', password: 'x'.repeat(20) },
    });
    expect(crossSite.status).toBe(403);
    expect(await t.db.prisma.staffUser.count({ where: { email: 'evil@example.com' } })).toBe(0);
  });

  it('refuses a sign-in form that was not loaded by this browser (login CSRF)', async () => {
    const browser = new ConsoleBrowser(t.baseUrl);
    const res = await browser.call('POST', '/admin/login', {
      form: { email: BOOTSTRAP.email, password: BOOTSTRAP.password, _csrf: 'forged' },
    });
    expect(res.status).toBe(403);
    expect(browser.cookies.has('scendcore_console')).toBe(false);
  });

  it('locks an account after repeated wrong passwords, even against the right one, until unlocked', async () => {
    const staff = await buildStaff(t.db.prisma, { role: 'viewer' });
    const browser = new ConsoleBrowser(t.baseUrl);
    const statuses = [];
    for (let i = 0; i < 3; i += 1)
      statuses.push((await browser.login(staff.email, 'wrong password!')).status);
    expect(statuses).toEqual([401, 401, 423]);
    const locked = await browser.login(staff.email, STAFF_PASSWORD);
    expect(locked.status).toBe(423);
    expect(locked.body).toContain('locked until');
    const row = await t.db.prisma.staffUser.findUniqueOrThrow({ where: { id: staff.id } });
    expect(row.lockedUntil!.getTime()).toBeGreaterThan(Date.now() + 14 * 60_000);
    const audit = await t.db.prisma.auditLog.findMany({
      where: { targetId: staff.id },
      orderBy: { at: 'asc' },
    });
    expect(audit.map((a) => a.action)).toEqual([
      'staff.sign_in_failed',
      'staff.sign_in_failed',
      'staff.locked',
    ]);

    const admin = new ConsoleBrowser(t.baseUrl);
    await admin.login(BOOTSTRAP.email, BOOTSTRAP.password);
    expect((await admin.action('staff_users', staff.id, 'unlock')).status).toBe(200);
    expect((await browser.login(staff.email, STAFF_PASSWORD)).status).toBe(303);
  });

  it('answers an unknown email like a wrong password, and a disabled account only once the password is right', async () => {
    const browser = new ConsoleBrowser(t.baseUrl);
    const unknown = await browser.login('nobody@scendcore.test', 'some password!');
    expect(unknown.status).toBe(401);
    const staff = await buildStaff(t.db.prisma, { role: 'operator' });
    await t.db.prisma.staffUser.update({ where: { id: staff.id }, data: { status: 'disabled' } });
    expect((await browser.login(staff.email, 'wrong password!')).status).toBe(401);
    expect((await browser.login(staff.email, STAFF_PASSWORD)).status).toBe(403);
  });

  it('ends the session at sign-out (the cookie opens nothing afterwards)', async () => {
    const browser = new ConsoleBrowser(t.baseUrl);
    await browser.login(BOOTSTRAP.email, BOOTSTRAP.password);
    const token = browser.cookies.get('scendcore_console') as string;
    const out = await browser.logout();
    expect([out.status, out.headers.location]).toEqual([303, '/admin/login?signedOut=1']);
    const replay = new ConsoleBrowser(t.baseUrl);
    replay.cookies.set('scendcore_console', token);
    expect((await replay.call('GET', '/admin')).status).toBe(303);
    const audit = await t.db.prisma.auditLog.count({ where: { action: 'staff.signed_out' } });
    expect(audit).toBe(1);
  });

  it('leaves the REST rate limiter and bearer guard out of /admin and /admin out of the REST API', async () => {
    const browser = new ConsoleBrowser(t.baseUrl);
    await browser.login(BOOTSTRAP.email, BOOTSTRAP.password);
    // The console's cookie is no credential for the REST API.
    expect((await browser.call('GET', '/v1/mailboxes')).status).toBe(401);
  });
});

describe('operations console sessions across instances and restarts (e2e)', () => {
  it('a session made on one instance works on another, survives a restart, and sign-out ends it everywhere', async () => {
    const world = await startInstances(2);
    const listening: INestApplication[] = [];
    const serve = async (app: INestApplication) => {
      const port = await freePort();
      await app.listen(port, '127.0.0.1');
      listening.push(app);
      return `http://127.0.0.1:${port}`;
    };
    try {
      const staff = await buildStaff(world.db.prisma, { role: 'viewer' });
      const [a, b] = await Promise.all(world.apps.map(serve));
      const browser = new ConsoleBrowser(a);
      expect((await browser.login(staff.email)).status).toBe(303);
      browser.baseUrl = b;
      expect((await browser.api('/resources/workspaces/actions/list')).status).toBe(200);

      await world.apps[0].close();
      const restarted = await createApp(world.config);
      browser.baseUrl = await serve(restarted);
      expect((await browser.api('/resources/workspaces/actions/list')).status).toBe(200);

      await browser.logout();
      browser.baseUrl = b;
      browser.cookies.set('scendcore_console', 'x'.repeat(43));
      expect((await browser.call('GET', '/admin')).status).toBe(303);
      expect(await world.db.prisma.consoleSession.count()).toBe(0);
      await restarted.close();
    } finally {
      await world.close();
    }
  });
});

describe('operations console switch (e2e)', () => {
  it('CONSOLE_ENABLED=false: /admin does not exist', async () => {
    const t = await createSandboxApp({ CONSOLE_ENABLED: 'false' });
    try {
      expect((await call(t, 'GET', '/admin/login')).status).toBe(404);
    } finally {
      await t.close();
    }
  });

  it('production without CONSOLE_ENABLED: off until a staff user exists; Secure cookies over https', async () => {
    const db = await createTestDatabase({
      NODE_ENV: 'production',
      PUBLIC_URL: 'https://m365.scendcore.example',
      MICROSOFT_CLIENT_ID: '00000000-0000-0000-0000-00000000c11e',
      MICROSOFT_CLIENT_SECRET: 'entra~client-secret',
      APP_JWT_SECRET: randomBytes(36).toString('base64'),
      APP_JWT_ISSUER: 'https://auth.scendcore.example',
      APP_JWT_AUDIENCE: 'm365-connector',
      TOKEN_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    });
    const start = async () => {
      const app = await createApp(db.config);
      const port = await freePort();
      await app.listen(port, '127.0.0.1');
      return { app, url: `http://127.0.0.1:${port}` };
    };
    try {
      const before = await start();
      expect((await new ConsoleBrowser(before.url).call('GET', '/admin/login')).status).toBe(404);
      await before.app.close();
      const staff = await buildStaff(db.prisma, { role: 'admin' });
      const after = await start();
      const res = await new ConsoleBrowser(after.url).login(staff.email);
      expect(res.status).toBe(303);
      expect(setCookie(res.headers, 'scendcore_console')).toContain('; Secure');
      await after.app.close();
    } finally {
      await db.drop();
    }
  });
});
