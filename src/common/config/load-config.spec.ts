import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig } from './load-config.js';

const key = (bytes = 32) => randomBytes(bytes).toString('base64');

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => p.variable);
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('starts with no variables at all (sandbox defaults)', () => {
    const config = loadConfig({});
    expect(config.sandbox).toBe(true);
    expect(config.port).toBe(3000);
    expect(config.database.url).toBeUndefined();
    expect(config.microsoft.authorityHost).toBe('https://login.microsoftonline.com');
    expect(config.frontendUrls).toEqual(['http://localhost:5173']);
    expect(config.publicUrl).toBe('http://localhost:3000');
  });

  it('names a database URL that does not parse', () => {
    expect(problemsOf({ DATABASE_URL: 'not a url' })).toEqual(['DATABASE_URL']);
    expect(problemsOf({ DATABASE_URL: 'mysql://h/db' })).toEqual(['DATABASE_URL']);
    expect(problemsOf({ DATABASE_URL: 'postgresql://u@127.0.0.1:5432/db' })).toEqual([]);
  });

  it('names bad numbers, booleans and URLs', () => {
    expect(problemsOf({ PORT: 'eighty' })).toEqual(['PORT']);
    expect(problemsOf({ PORT: '70000' })).toEqual(['PORT']);
    expect(problemsOf({ JOBS_ENABLED: 'maybe' })).toEqual(['JOBS_ENABLED']);
    expect(problemsOf({ FRONTEND_URL: 'ftp://x' })).toEqual(['FRONTEND_URL']);
    expect(problemsOf({ MICROSOFT_GRAPH_BASE_URL: 'graph' })).toEqual(['MICROSOFT_GRAPH_BASE_URL']);
  });

  it('requires a vault key outside sandbox and test mode', () => {
    const app = {
      MICROSOFT_CLIENT_ID: 'id',
      MICROSOFT_CLIENT_SECRET: 's',
      APP_JWT_SECRET: 'x'.repeat(32),
    };
    expect(problemsOf(app)).toEqual(['TOKEN_ENCRYPTION_KEYS']);
    expect(problemsOf({ ...app, TOKEN_ENCRYPTION_KEYS: `k1:${key()}` })).toEqual([]);
    expect(problemsOf({ ...app, NODE_ENV: 'test' })).toEqual([]);
  });

  it('names a vault key of the wrong length or shape', () => {
    const error = (() => {
      try {
        loadConfig({ TOKEN_ENCRYPTION_KEYS: `k1:${key(16)}` });
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(error?.problems[0]).toEqual({
      variable: 'TOKEN_ENCRYPTION_KEYS',
      message: 'key "k1" must decode to 32 bytes (AES-256), got 16',
    });
    expect(error?.message).toContain('TOKEN_ENCRYPTION_KEYS');
    expect(problemsOf({ TOKEN_ENCRYPTION_KEYS: 'nocolon' })).toEqual(['TOKEN_ENCRYPTION_KEYS']);
    expect(problemsOf({ TOKEN_ENCRYPTION_KEYS: `k1:${key()},k1:${key()}` })).toEqual([
      'TOKEN_ENCRYPTION_KEYS',
    ]);
  });

  it('needs the active key named when several keys are configured', () => {
    const keys = `k1:${key()},k2:${key()}`;
    expect(problemsOf({ TOKEN_ENCRYPTION_KEYS: keys })).toEqual(['TOKEN_ENCRYPTION_ACTIVE_KEY']);
    expect(problemsOf({ TOKEN_ENCRYPTION_KEYS: keys, TOKEN_ENCRYPTION_ACTIVE_KEY: 'k3' })).toEqual([
      'TOKEN_ENCRYPTION_ACTIVE_KEY',
    ]);
    const config = loadConfig({ TOKEN_ENCRYPTION_KEYS: keys, TOKEN_ENCRYPTION_ACTIVE_KEY: 'k2' });
    expect(config.vault.ring?.activeKeyId).toBe('k2');
    expect(config.vault.ring?.keys.map((k) => k.id)).toEqual(['k1', 'k2']);
  });

  it('requires a bearer-token key outside sandbox and test mode', () => {
    const app = {
      MICROSOFT_CLIENT_ID: 'id',
      MICROSOFT_CLIENT_SECRET: 's',
      TOKEN_ENCRYPTION_KEYS: `k1:${key()}`,
    };
    expect(problemsOf(app)).toEqual(['APP_JWT_SECRET']);
    expect(problemsOf({ ...app, APP_JWKS_URL: 'https://id.example/jwks' })).toEqual([]);
    expect(problemsOf({ ...app, APP_JWT_SECRET: 'short' })).toEqual(['APP_JWT_SECRET']);
  });

  it('requires the client secret with a client id', () => {
    expect(problemsOf({ MICROSOFT_CLIENT_ID: 'id', NODE_ENV: 'test' })).toEqual([
      'MICROSOFT_CLIENT_SECRET',
    ]);
  });
});
