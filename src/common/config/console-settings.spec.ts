import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from './load-config.js';

const base = { NODE_ENV: 'test', MICROSOFT_SANDBOX: 'true' } as NodeJS.ProcessEnv;

describe('console settings', () => {
  it('are on outside production and wait for staff in production unless set', () => {
    expect(loadConfig(base).console.enabled).toBe('on');
    expect(loadConfig({ ...base, CONSOLE_ENABLED: 'false' }).console.enabled).toBe('off');
  });

  it('take a bootstrap admin with a password of at least 12 characters', () => {
    const config = loadConfig({
      ...base,
      CONSOLE_BOOTSTRAP_EMAIL: 'Ops@ScendCore.test',
      CONSOLE_BOOTSTRAP_PASSWORD: 'twelve chars',
    });
    expect(config.console.bootstrap).toEqual({
      email: 'ops@scendcore.test',
      password: 'twelve chars',
    });
    expect(() =>
      loadConfig({
        ...base,
        CONSOLE_BOOTSTRAP_EMAIL: 'ops@x.test',
        CONSOLE_BOOTSTRAP_PASSWORD: 'short',
      }),
    ).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, CONSOLE_BOOTSTRAP_EMAIL: 'ops@x.test' })).toThrow(
      /CONSOLE_BOOTSTRAP_PASSWORD/,
    );
  });

  it('mark cookies Secure when PUBLIC_URL is https', () => {
    expect(loadConfig(base).console.secureCookies).toBe(false);
    expect(
      loadConfig({ ...base, PUBLIC_URL: 'https://m365.scendcore.test' }).console.secureCookies,
    ).toBe(true);
  });
});
