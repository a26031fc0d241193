import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { loadConfig } from './load-config.js';

const production = (): NodeJS.ProcessEnv => ({
  NODE_ENV: 'production',
  PUBLIC_URL: 'https://m365.scendcore.example',
  MICROSOFT_CLIENT_ID: '00000000-0000-0000-0000-00000000c11e',
  MICROSOFT_CLIENT_SECRET: 'entra~client-secret',
  APP_JWT_SECRET: randomBytes(36).toString('base64'),
  APP_JWT_ISSUER: 'https://auth.scendcore.example',
  APP_JWT_AUDIENCE: 'm365-connector',
  TOKEN_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
});

describe('Email Setup page settings', () => {
  it('sandbox mode: the page is on and is the default frontend', () => {
    const config = loadConfig({ PORT: '3100' });
    expect(config.emailSetupPage).toEqual({ enabled: true, path: '/email-setup' });
    expect(config.frontendUrls).toEqual(['http://localhost:3100']);
  });

  it('sandbox mode with a FRONTEND_URL: that frontend first, the page still allowed as returnTo', () => {
    const config = loadConfig({
      FRONTEND_URL: 'https://app.example/, http://localhost:5173',
      PUBLIC_URL: 'http://127.0.0.1:4000',
    });
    expect(config.frontendUrls).toEqual([
      'https://app.example',
      'http://localhost:5173',
      'http://127.0.0.1:4000',
    ]);
  });

  it('sandbox mode with EMAIL_SETUP_PAGE_ENABLED=false: off, the local frontend by default', () => {
    const config = loadConfig({ EMAIL_SETUP_PAGE_ENABLED: 'false' });
    expect(config.emailSetupPage.enabled).toBe(false);
    expect(config.frontendUrls).toEqual(['http://localhost:5173']);
  });

  it('outside sandbox: off unless EMAIL_SETUP_PAGE_ENABLED=true; on, its origin is allowed', () => {
    const off = loadConfig({ ...production(), FRONTEND_URL: 'https://app.scendcore.example' });
    expect(off.emailSetupPage.enabled).toBe(false);
    expect(off.frontendUrls).toEqual(['https://app.scendcore.example']);

    const on = loadConfig({
      ...production(),
      FRONTEND_URL: 'https://app.scendcore.example',
      EMAIL_SETUP_PAGE_ENABLED: 'true',
    });
    expect(on.emailSetupPage.enabled).toBe(true);
    expect(on.frontendUrls).toEqual([
      'https://app.scendcore.example',
      'https://m365.scendcore.example',
    ]);
  });

  it('does not list the service twice when FRONTEND_URL already names it', () => {
    const config = loadConfig({ FRONTEND_URL: 'http://localhost:3000/' });
    expect(config.frontendUrls).toEqual(['http://localhost:3000']);
  });

  it('names an EMAIL_SETUP_PAGE_ENABLED that is not a boolean', () => {
    expect(() => loadConfig({ EMAIL_SETUP_PAGE_ENABLED: 'maybe' })).toThrow(
      /EMAIL_SETUP_PAGE_ENABLED/,
    );
  });
});
