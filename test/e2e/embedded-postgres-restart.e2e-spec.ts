import { afterAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import {
  freePort,
  isAlive,
  postmasterPid,
  removeDataDir,
  type ServiceRun,
  startService,
  stopService,
  tempDataDir,
  waitReady,
} from '../support/embedded-service.js';

async function api(port: number, path: string, token?: string, body?: object) {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    method: body ? 'POST' : 'GET',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

function writeLockFile(dataDir: string, pid: number): void {
  writeFileSync(join(dataDir, 'postgres', 'postmaster.pid'), `${pid}\n${dataDir}/postgres\n`);
}

describe('issue 10.6: restart after kill -9', () => {
  const runs: ServiceRun[] = [];
  const dataDirs: string[] = [];
  const cleanups: (() => void)[] = [];
  afterAll(async () => {
    for (const run of runs) await stopService(run);
    for (const dir of dataDirs) await removeDataDir(dir);
    for (const cleanup of cleanups) cleanup();
  });

  async function serviceEnv() {
    const dataDir = tempDataDir();
    dataDirs.push(dataDir);
    const [port, pgPort] = [await freePort(), await freePort()];
    const env = { DATA_DIR: dataDir, PORT: String(port), EMBEDDED_POSTGRES_PORT: String(pgPort) };
    return { dataDir, port, pgPort, env };
  }

  function start(env: Record<string, string>): ServiceRun {
    const run = startService(env);
    runs.push(run);
    return run;
  }

  it('npm start after kill -9 stops the leftover embedded PostgreSQL, starts, and keeps the data', async () => {
    const { dataDir, port, env } = await serviceEnv();
    const first = start(env);
    await waitReady(port, first);
    const { token } = (await api(port, '/v1/sandbox/token', undefined, {})).body as {
      token: string;
    };
    const created = await api(port, '/v1/sender-profiles', token, {
      name: 'Kill test',
      fromName: 'Kill Test',
    });
    expect(created.status).toBe(201);
    const leftover = postmasterPid(dataDir) as number;

    first.child.kill('SIGKILL');
    await first.exited;
    expect(isAlive(leftover)).toBe(true); // the child survives: this used to block the next start

    const second = start(env);
    await waitReady(port, second);
    const found = await api(port, `/v1/sender-profiles/${String(created.body.id)}`, token);
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ name: 'Kill test', fromName: 'Kill Test' });
    expect(postmasterPid(dataDir)).not.toBe(leftover);
    expect(isAlive(leftover)).toBe(false);
    expect(second.output()).toContain('left running by a killed previous start');
    await stopService(second);
  }, 120_000);

  it('a postmaster.pid naming a dead process or an unrelated live one does not block the start', async () => {
    const { dataDir, port, env } = await serviceEnv();
    const first = start(env);
    await waitReady(port, first);
    await stopService(first);

    const gone = spawn('true');
    await new Promise((resolve) => gone.once('exit', resolve));
    writeLockFile(dataDir, gone.pid as number);
    const second = start(env);
    await waitReady(port, second);
    await stopService(second);

    const unrelated = spawn('sleep', ['120'], { stdio: 'ignore' });
    cleanups.push(() => unrelated.kill('SIGKILL'));
    writeLockFile(dataDir, unrelated.pid as number);
    const third = start(env);
    await waitReady(port, third);
    expect(isAlive(unrelated.pid as number)).toBe(true);
    await stopService(third);
  }, 120_000);

  it('a second service on the same DATA_DIR is refused and leaves the running one its database', async () => {
    const { port, env } = await serviceEnv();
    const first = start(env);
    await waitReady(port, first);
    const second = start({ ...env, PORT: String(await freePort()) });
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain('is used by another running service');
    expect((await fetch(`http://127.0.0.1:${port}/health/ready`)).status).toBe(200);
    await stopService(first);
  }, 90_000);

  it('a port taken by another process fails, naming the port', async () => {
    const { env, pgPort } = await serviceEnv();
    const squatter: Server = await new Promise((resolve) => {
      const server = createServer().listen(pgPort, '127.0.0.1', () => resolve(server));
    });
    cleanups.push(() => squatter.close());
    const run = start(env);
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain(`port ${pgPort} on 127.0.0.1 is in use by another process`);
  }, 60_000);
});
