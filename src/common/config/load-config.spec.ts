import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { envSchema } from './env.schema.js';
import { ConfigError, loadConfig } from './load-config.js';

const key = (bytes = 32) => randomBytes(bytes).toString('base64');
const strongSecret = () => randomBytes(36).toString('base64');

function errorOf(env: NodeJS.ProcessEnv): ConfigError | undefined {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  return undefined;
}

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  return errorOf(env)?.problems.map((p) => p.variable) ?? [];
}

function messageFor(env: NodeJS.ProcessEnv, variable: string): string | undefined {
  return errorOf(env)?.problems.find((p) => p.variable === variable)?.message;
}

function without(env: NodeJS.ProcessEnv, ...names: string[]): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !names.includes(name)));
}

/** A complete, acceptable production configuration. */
const production = (): NodeJS.ProcessEnv => ({
  NODE_ENV: 'production',
  PUBLIC_URL: 'https://m365.scendcore.example',
  MICROSOFT_CLIENT_ID: '00000000-0000-0000-0000-00000000c11e',
  MICROSOFT_CLIENT_SECRET: 'entra~client-secret',
  APP_JWT_SECRET: strongSecret(),
  APP_JWT_ISSUER: 'https://auth.scendcore.example',
  APP_JWT_AUDIENCE: 'm365-connector',
  TOKEN_ENCRYPTION_KEYS: `k1:${key()}`,
});

describe('loadConfig', () => {
  it('starts with no variables at all (sandbox defaults)', () => {
    const config = loadConfig({});
    expect(config.sandbox).toBe(true);
    expect(config.port).toBe(3000);
    expect(config.database.url).toBeUndefined();
    expect(config.microsoft.authorityHost).toBe('https://login.microsoftonline.com');
    // Sandbox mode without FRONTEND_URL: users return to the service's own Email Setup page.
    expect(config.frontendUrls).toEqual(['http://localhost:3000']);
    expect(config.publicUrl).toBe('http://localhost:3000');
    expect(config.rateLimit).toEqual({ enabled: true, perMinute: 600, perSecond: 50 });
  });

  it('starts in sandbox mode from .env.example as shipped, which documents every variable', () => {
    const text = readFileSync(join(process.cwd(), '.env.example'), 'utf8');
    const lines = text.split('\n').filter((line) => /^[A-Z0-9_]+=/.test(line));
    const env = Object.fromEntries(lines.map((line) => line.split(/=(.*)/s).slice(0, 2)));
    expect(loadConfig(env).sandbox).toBe(true);
    expect(Object.keys(env).sort()).toEqual(Object.keys(envSchema.shape).sort());
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

  it('reads the rate limits and refuses ones out of range', () => {
    const env = {
      RATE_LIMIT_ENABLED: 'false',
      RATE_LIMIT_PER_MINUTE: '20',
      RATE_LIMIT_PER_SECOND: '5',
    };
    expect(loadConfig(env).rateLimit).toEqual({ enabled: false, perMinute: 20, perSecond: 5 });
    expect(problemsOf({ RATE_LIMIT_PER_MINUTE: '0' })).toEqual(['RATE_LIMIT_PER_MINUTE']);
    expect(problemsOf({ RATE_LIMIT_PER_MINUTE: '50001' })).toEqual(['RATE_LIMIT_PER_MINUTE']);
    expect(problemsOf({ RATE_LIMIT_PER_SECOND: '1.5' })).toEqual(['RATE_LIMIT_PER_SECOND']);
    expect(problemsOf({ RATE_LIMIT_ENABLED: 'sometimes' })).toEqual(['RATE_LIMIT_ENABLED']);
  });

  it('requires a vault key outside sandbox and test mode', () => {
    const app = {
      MICROSOFT_CLIENT_ID: 'id',
      MICROSOFT_CLIENT_SECRET: 's',
      APP_JWT_SECRET: strongSecret(),
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

  it('is sandbox by default outside production when no app is configured', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).sandbox).toBe(true);
    expect(loadConfig({ NODE_ENV: 'development', MICROSOFT_SANDBOX: '' }).sandbox).toBe(true);
    expect(loadConfig({ MICROSOFT_SANDBOX: 'true' }).sandbox).toBe(true);
    expect(loadConfig({ ...without(production(), 'NODE_ENV') }).sandbox).toBe(false);
  });
});

describe('loadConfig: sandbox only when asked (issue 11.1)', () => {
  it('refuses production without a Microsoft app, naming both variables', () => {
    const env = without(production(), 'MICROSOFT_CLIENT_ID', 'MICROSOFT_CLIENT_SECRET');
    expect(problemsOf(env)).toEqual(['MICROSOFT_CLIENT_ID', 'MICROSOFT_CLIENT_SECRET']);
    expect(messageFor(env, 'MICROSOFT_CLIENT_ID')).toContain('in production');
    expect(problemsOf(without(production(), 'MICROSOFT_CLIENT_SECRET'))).toEqual([
      'MICROSOFT_CLIENT_SECRET',
    ]);
  });

  it('refuses MICROSOFT_SANDBOX=true in production, with or without an app', () => {
    expect(problemsOf({ ...production(), MICROSOFT_SANDBOX: 'true' })).toEqual([
      'MICROSOFT_SANDBOX',
    ]);
    const bare = without(production(), 'MICROSOFT_CLIENT_ID', 'MICROSOFT_CLIENT_SECRET');
    expect(problemsOf({ ...bare, MICROSOFT_SANDBOX: 'true' })).toEqual([
      'MICROSOFT_SANDBOX',
      'MICROSOFT_CLIENT_ID',
      'MICROSOFT_CLIENT_SECRET',
    ]);
  });

  it('runs a complete production configuration against Microsoft', () => {
    const config = loadConfig({ ...production(), MICROSOFT_SANDBOX: 'false' });
    expect(config.sandbox).toBe(false);
    expect(config.devMode).toBe(false);
  });

  it('refuses MICROSOFT_SANDBOX=true together with a Microsoft app', () => {
    const app = { NODE_ENV: 'test', MICROSOFT_CLIENT_ID: 'id', MICROSOFT_CLIENT_SECRET: 's' };
    expect(problemsOf({ ...app, MICROSOFT_SANDBOX: 'true' })).toEqual(['MICROSOFT_SANDBOX']);
    expect(
      problemsOf({ NODE_ENV: 'test', MICROSOFT_SANDBOX: 'true', MICROSOFT_CLIENT_SECRET: 's' }),
    ).toEqual(['MICROSOFT_SANDBOX']);
  });

  it('refuses MICROSOFT_SANDBOX=false without an app, naming MICROSOFT_CLIENT_ID', () => {
    const env = { NODE_ENV: 'test', MICROSOFT_SANDBOX: 'false' };
    expect(problemsOf(env)).toEqual(['MICROSOFT_CLIENT_ID', 'MICROSOFT_CLIENT_SECRET']);
    expect(messageFor(env, 'MICROSOFT_CLIENT_ID')).toBe('is required when MICROSOFT_SANDBOX=false');
  });

  it('does not fall back to sandbox when only the client secret is set', () => {
    expect(problemsOf({ NODE_ENV: 'test', MICROSOFT_CLIENT_SECRET: 's' })).toEqual([
      'MICROSOFT_CLIENT_ID',
    ]);
  });

  it('names a MICROSOFT_SANDBOX that is not a boolean', () => {
    expect(problemsOf({ MICROSOFT_SANDBOX: 'maybe' })).toEqual(['MICROSOFT_SANDBOX']);
  });
});

describe('loadConfig: production settings fail closed (issue 11.6)', () => {
  it('lists every missing production setting at once', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual([
      'MICROSOFT_CLIENT_ID',
      'MICROSOFT_CLIENT_SECRET',
      'PUBLIC_URL',
      'APP_JWT_SECRET',
      'APP_JWT_ISSUER',
      'APP_JWT_AUDIENCE',
      'TOKEN_ENCRYPTION_KEYS',
    ]);
  });

  it.each(['PUBLIC_URL', 'APP_JWT_ISSUER', 'APP_JWT_AUDIENCE', 'TOKEN_ENCRYPTION_KEYS'])(
    'names a missing %s',
    (variable) => {
      const env = without(production(), variable);
      expect(problemsOf(env)).toEqual([variable]);
      expect(messageFor(env, variable)).toContain('required in production');
    },
  );

  it('requires APP_JWT_SECRET or APP_JWKS_URL, and issuer and audience with JWKS too', () => {
    const jwks = { ...without(production(), 'APP_JWT_SECRET') };
    expect(problemsOf(jwks)).toEqual(['APP_JWT_SECRET']);
    expect(messageFor(jwks, 'APP_JWT_SECRET')).toBe('or APP_JWKS_URL is required in production');
    const withJwks = { ...jwks, APP_JWKS_URL: 'https://auth.scendcore.example/jwks.json' };
    expect(problemsOf(withJwks)).toEqual([]);
    expect(problemsOf(without(withJwks, 'APP_JWT_ISSUER', 'APP_JWT_AUDIENCE'))).toEqual([
      'APP_JWT_ISSUER',
      'APP_JWT_AUDIENCE',
    ]);
  });

  it('does not require issuer and audience outside production', () => {
    const env = without({ ...production(), NODE_ENV: 'development' }, 'APP_JWT_ISSUER');
    expect(problemsOf(without(env, 'APP_JWT_AUDIENCE'))).toEqual([]);
  });

  it.each([
    ['too short', 'k'.repeat(8) + 'abcdefgh', 'at least 32 characters'],
    ['one repeated character', 'a'.repeat(40), 'at least 8 different characters'],
    ['few different characters', 'abcabcabc'.repeat(5), 'at least 8 different characters'],
    ['a short pattern repeated', 'abcdefgh'.repeat(5), 'shorter pattern repeated'],
    ['a pattern repeated with a tail', 'Sc3nd-c0re!'.repeat(3) + 'Sc3', 'shorter pattern repeated'],
  ])('refuses an APP_JWT_SECRET that is %s, in every mode', (_, secret, rule) => {
    for (const env of [{ ...production(), APP_JWT_SECRET: secret }, { APP_JWT_SECRET: secret }]) {
      expect(problemsOf(env)).toEqual(['APP_JWT_SECRET']);
      const message = messageFor(env, 'APP_JWT_SECRET');
      expect(message).toContain(rule);
      expect(message).not.toContain(secret);
    }
  });

  it('accepts random secrets (base64 and hex)', () => {
    for (let i = 0; i < 200; i += 1) {
      expect(problemsOf({ APP_JWT_SECRET: randomBytes(24).toString('base64') })).toEqual([]);
      expect(problemsOf({ APP_JWT_SECRET: randomBytes(16).toString('hex') })).toEqual([]);
    }
  });

  it('refuses an all-zero vault key in every mode, naming the key id', () => {
    const zero = `k1:${Buffer.alloc(32).toString('base64')}`;
    const env = { ...production(), TOKEN_ENCRYPTION_KEYS: zero };
    expect(problemsOf(env)).toEqual(['TOKEN_ENCRYPTION_KEYS']);
    expect(messageFor(env, 'TOKEN_ENCRYPTION_KEYS')).toMatch(/^key "k1" is not random/);
    expect(problemsOf({ NODE_ENV: 'test', TOKEN_ENCRYPTION_KEYS: zero })).toEqual([
      'TOKEN_ENCRYPTION_KEYS',
    ]);
  });
});
