import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findProjectRoot } from '../../src/common/database/migrate.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

const root = findProjectRoot();

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** A production start with a (fake) Microsoft app: every setting production requires. */
function productionEnv(port: number, databaseUrl: string, dataDir: string) {
  return {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    PORT: String(port),
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    JOBS_ENABLED: 'false',
    PUBLIC_URL: `https://connector.example.com`,
    FRONTEND_URL: 'https://app.example.com',
    MICROSOFT_CLIENT_ID: '11111111-2222-3333-4444-555555555555',
    MICROSOFT_CLIENT_SECRET: randomBytes(24).toString('base64url'),
    APP_JWT_SECRET: randomBytes(32).toString('base64url'),
    APP_JWT_ISSUER: 'https://app.example.com',
    APP_JWT_AUDIENCE: 'm365-connector',
    TOKEN_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
  };
}

/** Issue 9.4: a production start never loads the Microsoft 365 emulator (src/sandbox). */
describe('production start', () => {
  let db: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    dir = mkdtempSync(join(tmpdir(), 'm365-prod-'));
  });
  afterAll(async () => {
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves without loading any module of src/sandbox, and has no /v1/sandbox route', async () => {
    const port = await freePort();
    const recorded = join(dir, 'modules.txt');
    const child = spawn(
      process.execPath,
      ['--import', join(root, 'test/support/record-modules.mjs'), join(root, 'dist/main.js')],
      {
        cwd: root,
        env: { ...productionEnv(port, db.url, dir), RECORD_MODULES_FILE: recorded },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    try {
      const deadline = Date.now() + 30_000;
      for (;;) {
        if (child.exitCode !== null) throw new Error(`exited early:\n${output}`);
        const res = await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => undefined);
        if (res?.status === 200) break;
        if (Date.now() > deadline) throw new Error(`not ready:\n${output}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      const sandboxToken = await fetch(`http://127.0.0.1:${port}/v1/sandbox/token`, {
        method: 'POST',
      });
      expect(sandboxToken.status).toBe(404);
      const sandboxConnect = await fetch(`http://127.0.0.1:${port}/v1/sandbox/connect`, {
        redirect: 'manual',
      });
      expect(sandboxConnect.status).toBe(404);
      const loaded = readFileSync(recorded, 'utf8').split('\n').filter(Boolean);
      expect(loaded.some((url) => url.includes('/dist/modules/outbound/'))).toBe(true);
      expect(loaded.filter((url) => url.includes('/dist/sandbox/'))).toEqual([]);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  });
});
