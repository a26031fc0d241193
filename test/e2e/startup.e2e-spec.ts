import { afterAll, describe, expect, it } from '@jest/globals';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { embeddedPasswordFile } from '../../src/common/database/embedded-postgres.js';
import { findProjectRoot } from '../../src/common/database/migrate.js';
import { databaseUrl, SERVER_URL_ENV, withAdmin } from '../support/test-server.js';

const root = findProjectRoot();
const main = join(root, 'dist', 'main.js');

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function run(env: Record<string, string>): Run {
  const child = spawn(process.execPath, [main], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  return { child, output: () => output, exited };
}

async function waitReady(port: number, run: Run, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (run.child.exitCode !== null) throw new Error(`exited early:\n${run.output()}`);
    const res = await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => undefined);
    if (res?.status === 200) return Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`not ready within ${timeoutMs} ms:\n${run.output()}`);
}

/** The running service's sign-in hop redirects to the emulator it logged. */
async function expectConnectGoesToEmulator(port: number, output: string): Promise<void> {
  const base = `http://127.0.0.1:${port}`;
  const issued = await fetch(`${base}/v1/sandbox/token`, { method: 'POST' });
  const { token } = (await issued.json()) as { token: string };
  const connect = await fetch(`${base}/v1/microsoft/connect`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: '{}',
  });
  const { authorizationUrl } = (await connect.json()) as { authorizationUrl: string };
  // The same browser: it holds the cookie that binds the attempt.
  const cookie = connect.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const hop = await fetch(authorizationUrl, { redirect: 'manual', headers: { cookie } });
  const emulator = /"emulator":"(https:\/\/127\.0\.0\.1:\d+)"/.exec(output)?.[1];
  expect(emulator).toBeDefined();
  expect(hop.headers.get('location')?.startsWith(`${emulator}/common/oauth2/v2.0/authorize?`)).toBe(
    true,
  );
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

describe('process startup (e2e, built service)', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('exits non-zero naming a database URL that does not parse', async () => {
    const r = run({ DATABASE_URL: 'postgres//nope' });
    expect(await r.exited).toBe(1);
    expect(r.output()).toContain('DATABASE_URL');
    expect(r.output()).not.toMatch(/at .*\.js:\d+/);
  });

  it('exits non-zero naming a vault key of the wrong length outside sandbox', async () => {
    const shortKey = randomBytes(16).toString('base64');
    const r = run({
      MICROSOFT_CLIENT_ID: 'app',
      MICROSOFT_CLIENT_SECRET: 'secret',
      TOKEN_ENCRYPTION_KEYS: `k1:${shortKey}`,
    });
    expect(await r.exited).toBe(1);
    expect(r.output()).toContain('TOKEN_ENCRYPTION_KEYS');
    expect(r.output()).not.toContain(shortKey);
  });

  it('exits non-zero when a Microsoft app is configured without any vault key', async () => {
    const r = run({ MICROSOFT_CLIENT_ID: 'app', MICROSOFT_CLIENT_SECRET: 'secret' });
    expect(await r.exited).toBe(1);
    expect(r.output()).toContain('TOKEN_ENCRYPTION_KEYS');
  });

  it('migrates an empty DATABASE_URL database at start, serves, and stops on SIGTERM', async () => {
    const serverUrl = process.env[SERVER_URL_ENV] as string;
    const name = `m365_start_${randomBytes(4).toString('hex')}`;
    await withAdmin(serverUrl, (c) => c.query(`CREATE DATABASE "${name}"`));
    cleanups.push(() =>
      withAdmin(serverUrl, (c) => c.query(`DROP DATABASE "${name}" WITH (FORCE)`)).then(
        () => undefined,
      ),
    );
    const port = await freePort();
    const r = run({
      DATABASE_URL: databaseUrl(serverUrl, name),
      PORT: String(port),
      DATA_DIR: mkdtempSync(join(tmpdir(), 'm365-')),
    });
    await waitReady(port, r, 30_000);
    const tables = await withAdmin(databaseUrl(serverUrl, name), (c) =>
      c.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name IN ('workspace','outbox_event','audit_log')",
      ),
    );
    expect(tables.rows[0].n).toBe(3);
    r.child.kill('SIGTERM');
    expect(await r.exited).toBe(0);
  });

  it('with no DATABASE_URL runs embedded PostgreSQL, answers ready within 30 s, and a second start reuses the data', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'm365-embedded-'));
    chmodSync(dataDir, 0o755); // the embedded server runs as the `postgres` user when we are root
    cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    const [port, pgPort] = [await freePort(), await freePort()];
    const env = { DATA_DIR: dataDir, PORT: String(port), EMBEDDED_POSTGRES_PORT: String(pgPort) };

    const first = run(env);
    const firstMs = await waitReady(port, first, 30_000);
    await expectConnectGoesToEmulator(port, first.output());
    const password = readFileSync(embeddedPasswordFile(join(dataDir, 'postgres')), 'utf8').trim();
    const url = `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${pgPort}/scendcore`;
    const marker = `ws-${randomBytes(3).toString('hex')}`;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query('INSERT INTO workspace (id, updated_at) VALUES ($1, now())', [marker]);
    await client.end();
    first.child.kill('SIGINT');
    expect(await first.exited).toBe(0);
    expect(first.output()).toContain('embedded PostgreSQL is running');
    // Sandbox mode: the emulator started, and its URL and seeded accounts were logged.
    const sandboxLine = first
      .output()
      .split('\n')
      .find((line) => line.includes('sandbox mode'));
    expect(sandboxLine).toMatch(/"emulator":"https:\/\/127\.0\.0\.1:\d+"/);
    expect(sandboxLine).toContain('adele@contoso.com');
    // The embedded server stopped with the service.
    const probe = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
    await expect(probe.connect()).rejects.toThrow();

    const second = run(env);
    await waitReady(port, second, 30_000);
    const again = new pg.Client({ connectionString: url });
    await again.connect();
    const found = await again.query('SELECT id FROM workspace WHERE id = $1', [marker]);
    await again.end();
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(found.rowCount).toBe(1);
    expect(firstMs).toBeLessThan(30_000);
  }, 90_000);
});
