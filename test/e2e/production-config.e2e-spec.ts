import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { findProjectRoot } from '../../src/common/database/migrate.js';

const root = findProjectRoot();
const main = join(root, 'dist', 'main.js');

interface Exit {
  code: number | null;
  stderr: string;
}

/**
 * Starts the built service and waits for it to exit (a refused config exits at once; a run
 * still alive after 20 s is killed so the suite never hangs).
 */
function start(env: Record<string, string>): Promise<Exit> {
  const child = spawn(process.execPath, [main], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    }),
  );
}

/** The variables ConfigError listed, in order (`  - NAME: message`). */
const named = (stderr: string) => [...stderr.matchAll(/^ {2}- ([A-Z0-9_]+):/gm)].map((m) => m[1]);

/** Production as it should be, except that the database is unreachable (port 1). */
const production = (): Record<string, string> => ({
  NODE_ENV: 'production',
  DATABASE_URL: 'postgresql://x@127.0.0.1:1/x',
  PUBLIC_URL: 'https://m365.scendcore.example',
  MICROSOFT_CLIENT_ID: '00000000-0000-0000-0000-00000000c11e',
  MICROSOFT_CLIENT_SECRET: 'entra~client-secret',
  APP_JWT_SECRET: randomBytes(36).toString('base64'),
  APP_JWT_ISSUER: 'https://auth.scendcore.example',
  APP_JWT_AUDIENCE: 'm365-connector',
  TOKEN_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
});

function without(env: Record<string, string>, ...names: string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !names.includes(name)));
}

describe('production configuration (e2e, built service)', () => {
  it('complete production settings pass validation and reach the database (control)', async () => {
    const { code, stderr } = await start(production());
    expect(code).not.toBe(0);
    expect(stderr).not.toContain('Invalid configuration');
    expect(stderr).toContain('127.0.0.1:1'); // it got as far as the (unreachable) database
  });

  it('issue 11.1: production without a Microsoft app refuses to start, naming both variables', async () => {
    const env = without(production(), 'MICROSOFT_CLIENT_ID', 'MICROSOFT_CLIENT_SECRET');
    const { code, stderr } = await start(env);
    expect(code).toBe(1);
    expect(named(stderr)).toEqual(['MICROSOFT_CLIENT_ID', 'MICROSOFT_CLIENT_SECRET']);
  });

  it('issue 11.1: production with nothing configured names every missing setting', async () => {
    const { code, stderr } = await start({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgresql://x@127.0.0.1:1/x',
    });
    expect(code).toBe(1);
    expect(named(stderr)).toEqual([
      'MICROSOFT_CLIENT_ID',
      'MICROSOFT_CLIENT_SECRET',
      'PUBLIC_URL',
      'APP_JWT_SECRET',
      'APP_JWT_ISSUER',
      'APP_JWT_AUDIENCE',
      'TOKEN_ENCRYPTION_KEYS',
    ]);
  });

  it('issue 11.1: MICROSOFT_SANDBOX=true is refused in production', async () => {
    const { code, stderr } = await start({ ...production(), MICROSOFT_SANDBOX: 'true' });
    expect(code).toBe(1);
    expect(named(stderr)).toEqual(['MICROSOFT_SANDBOX']);
  });

  it('issue 11.6: an APP_JWT_SECRET of one repeated character is refused', async () => {
    const secret = 'a'.repeat(40);
    const { code, stderr } = await start({ ...production(), APP_JWT_SECRET: secret });
    expect(code).toBe(1);
    expect(named(stderr)).toEqual(['APP_JWT_SECRET']);
    expect(stderr).not.toContain(secret);
  });

  it.each(['APP_JWT_ISSUER', 'APP_JWT_AUDIENCE'])(
    'issue 11.6: a missing %s is refused',
    async (variable) => {
      const { code, stderr } = await start(without(production(), variable));
      expect(code).toBe(1);
      expect(named(stderr)).toEqual([variable]);
    },
  );

  it('issue 11.6: an all-zero vault key is refused, naming the key id', async () => {
    const zero = Buffer.alloc(32).toString('base64');
    const { code, stderr } = await start({ ...production(), TOKEN_ENCRYPTION_KEYS: `k1:${zero}` });
    expect(code).toBe(1);
    expect(named(stderr)).toEqual(['TOKEN_ENCRYPTION_KEYS']);
    expect(stderr).toContain('key "k1"');
    expect(stderr).not.toContain(zero);
  });
});
