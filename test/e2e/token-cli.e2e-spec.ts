import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findProjectRoot } from '../../src/common/database/migrate.js';
import { call, createSandboxApp, type SandboxApp } from '../support/sandbox-app.js';

const root = findProjectRoot();

function runTokenCli(dataDir: string) {
  return spawnSync(process.execPath, [join(root, 'dist/cli/token.js')], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
    encoding: 'utf8',
  });
}

/** Issue 15: `npm run token` reads the service's key, or says clearly why it cannot. */
describe('npm run token', () => {
  let t: SandboxApp;
  beforeAll(async () => {
    t = await createSandboxApp();
  });
  afterAll(() => t.close());

  it("prints a token the running service accepts when given the service's DATA_DIR", async () => {
    const run = runTokenCli(t.db.config.dataDir);
    expect(run.status).toBe(0);
    expect(run.stderr).toContain('signed with');
    const res = await call(t, 'GET', '/v1/mailboxes', { token: run.stdout.trim() });
    expect(res.status).toBe(200);
  });

  it('without the key (another DATA_DIR) makes none up: exit 2, saying where it looked and why', () => {
    const empty = mkdtempSync(join(tmpdir(), 'm365-token-'));
    try {
      const run = runTokenCli(empty);
      expect(run.status).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain(join(empty, 'app-jwt-dev-secret'));
      expect(run.stderr).toContain('same DATA_DIR');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
