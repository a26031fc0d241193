import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { createTestApp, type TestApp } from '../support/app.js';

const MICROSOFT_APP = {
  MICROSOFT_CLIENT_ID: '00000000-0000-0000-0000-00000000c11e',
  MICROSOFT_CLIENT_SECRET: 'entra~client-secret',
};

/** How the service serves the Email Setup page: where, with which headers, and when not. */
describe('Email Setup page: routes and headers', () => {
  let sandbox: TestApp;
  let off: TestApp;
  let on: TestApp;
  const http = (t: TestApp) => request(t.app.getHttpServer() as App);

  beforeAll(async () => {
    [sandbox, off, on] = await Promise.all([
      createTestApp({ FRONTEND_URL: '' }),
      createTestApp(MICROSOFT_APP),
      createTestApp({ ...MICROSOFT_APP, EMAIL_SETUP_PAGE_ENABLED: 'true' }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([sandbox?.close(), off?.close(), on?.close()]);
  });

  it('sandbox mode: / and the default return address lead to the page, keeping the callback result', async () => {
    const root = await http(sandbox).get('/');
    expect(root.status).toBe(302);
    expect(root.headers.location).toBe('/email-setup');
    const back = await http(sandbox).get('/settings/email-setup?connected=m-1');
    expect(back.status).toBe(302);
    expect(back.headers.location).toBe('/email-setup?connected=m-1');
    expect(sandbox.db.config.frontendUrls).toEqual([sandbox.db.config.publicUrl]);
  });

  it('the page: no inline script or style, a strict CSP, revalidated on every visit', async () => {
    const page = await http(sandbox).get('/email-setup');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['cache-control']).toBe('no-cache');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(page.text).not.toMatch(/<script(?![^>]*\bsrc=)/);
    expect(page.text).not.toMatch(/\sstyle=|<style/);
    expect(page.text).not.toMatch(/\son[a-z]+=/);
  });

  it('assets are versioned by content: cached for a year under the current version only', async () => {
    const page = await http(sandbox).get('/email-setup');
    const script = /src="([^"]+\/main\.js)"/.exec(page.text)?.[1] ?? '';
    expect(script).toMatch(/^\/email-setup\/assets\/[0-9a-f]{12}\/main\.js$/);
    const current = await http(sandbox).get(script);
    expect(current.status).toBe(200);
    expect(current.headers['content-type']).toMatch(/^text\/javascript/);
    expect(current.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const stale = await http(sandbox).get('/email-setup/assets/000000000000/main.js');
    expect(stale.status).toBe(200);
    expect(stale.headers['cache-control']).toBe('no-cache');
    const css = await http(sandbox).get(script.replace('main.js', 'styles.css'));
    expect(css.headers['content-type']).toMatch(/^text\/css/);
    for (const name of ['index.html', '..%2Fpage-assets.ts', 'nope.js']) {
      const missing = await http(sandbox).get(script.replace('main.js', name));
      expect(missing.status).toBe(404);
    }
  });

  it('sandbox mode: the banner’s JSON names the emulator (never cached)', async () => {
    const res = await http(sandbox).get('/email-setup/sandbox.json');
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toMatchObject({ emulatorUrl: expect.any(String), accounts: [] });
  });

  it('outside sandbox mode the page is off: every route of it answers 404', async () => {
    for (const path of [
      '/',
      '/email-setup',
      '/settings/email-setup',
      '/email-setup/sandbox.json',
    ]) {
      const res = await http(off).get(path);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
  });

  it('EMAIL_SETUP_PAGE_ENABLED=true serves it outside sandbox mode, without the sandbox JSON', async () => {
    await http(on).get('/email-setup').expect(200);
    await http(on).get('/').expect(302);
    await http(on).get('/email-setup/sandbox.json').expect(404);
    expect(on.db.config.frontendUrls).toEqual(['http://frontend.test', 'http://127.0.0.1:3000']);
  });
});
