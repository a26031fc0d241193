import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { findProjectRoot } from '../../src/common/database/migrate.js';
import { ConsoleBrowser } from '../support/console.js';
import { createSandboxApp, type SandboxApp } from '../support/sandbox-app.js';

const cli = join(findProjectRoot(), 'dist', 'cli', 'console-user.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe('npm run console:user (e2e, built CLI)', () => {
  let t: SandboxApp;

  beforeAll(async () => {
    t = await createSandboxApp();
  });
  afterAll(() => t.close());

  function run(args: string[], stdin = ''): Promise<Run> {
    const child = spawn(process.execPath, [cli, ...args], {
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'test',
        DATABASE_URL: t.db.url,
        LOG_LEVEL: 'silent',
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdin.end(stdin);
    return new Promise((resolve) =>
      child.once('exit', (code) => resolve({ code, stdout, stderr })),
    );
  }

  it('adds a staff user with a password from stdin, who can then sign in', async () => {
    const added = await run(
      ['add', 'Cli.Admin@ScendCore.test', '--role', 'admin'],
      'a long cli password\n',
    );
    expect([added.code, JSON.parse(added.stdout)]).toEqual([
      0,
      { added: 'cli.admin@scendcore.test', role: 'admin' },
    ]);
    expect(added.stdout + added.stderr).not.toContain('a long cli password');
    const browser = new ConsoleBrowser(t.baseUrl);
    expect((await browser.login('cli.admin@scendcore.test', 'a long cli password')).status).toBe(
      303,
    );
    const audit = await t.db.prisma.auditLog.findFirst({ where: { action: 'staff.created' } });
    expect(audit).toMatchObject({ actorType: 'system', actorId: 'cli' });
  });

  it('resets a password (ending sessions), disables and lists; refusals exit 1, usage 2', async () => {
    const browser = new ConsoleBrowser(t.baseUrl);
    await browser.login('cli.admin@scendcore.test', 'a long cli password');
    expect((await run(['reset', 'cli.admin@scendcore.test'], 'another long password\n')).code).toBe(
      0,
    );
    expect((await browser.call('GET', '/admin')).status).toBe(303);
    expect((await run(['add', 'op@scendcore.test', '--role', 'operator', '--generate'])).code).toBe(
      0,
    );
    expect((await run(['disable', 'op@scendcore.test'])).code).toBe(0);
    const listed = (await run(['list'])).stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(listed).toEqual([
      expect.objectContaining({
        email: 'cli.admin@scendcore.test',
        role: 'admin',
        status: 'active',
      }),
      expect.objectContaining({ email: 'op@scendcore.test', role: 'operator', status: 'disabled' }),
    ]);
    const lastAdmin = await run(['disable', 'cli.admin@scendcore.test']);
    expect([lastAdmin.code, lastAdmin.stderr]).toEqual([1, expect.stringContaining('last_admin')]);
    const short = await run(['add', 'x@scendcore.test', '--role', 'viewer'], 'short\n');
    expect([short.code, short.stderr]).toEqual([1, expect.stringContaining('password')]);
    expect((await run(['promote', 'x@scendcore.test'])).code).toBe(2);
  });
});
