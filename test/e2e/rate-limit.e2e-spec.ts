import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { authEnv, bearer } from '../support/tokens.js';

const PER_MINUTE = 20;
const PER_SECOND = 5;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('per-workspace rate limits (e2e)', () => {
  let t: TestApp;
  let server: App;

  beforeAll(async () => {
    t = await createTestApp({
      ...authEnv(),
      RATE_LIMIT_PER_MINUTE: String(PER_MINUTE),
      RATE_LIMIT_PER_SECOND: String(PER_SECOND),
    });
    server = t.app.getHttpServer();
  });
  afterAll(() => t.close());

  const token = (wid: string, sub = 'user-1') => bearer({ wid, sub });
  const list = (auth: string) =>
    request(server).get('/v1/mailboxes').set('authorization', `Bearer ${auth}`);
  /** `count` requests at once; returns their statuses. */
  const burst = async (auths: string[], count: number) => {
    const all = Array.from({ length: count }, (_, i) => list(auths[i % auths.length]));
    return (await Promise.all(all)).map((res) => res.status);
  };

  const expectRateLimited = (res: request.Response, min: number, max: number) => {
    expect(res.status).toBe(429);
    const seconds = Number(res.headers['retry-after']);
    expect(Number.isInteger(seconds)).toBe(true);
    expect(seconds).toBeGreaterThanOrEqual(min);
    expect(seconds).toBeLessThanOrEqual(max);
    expect(res.body).toEqual({
      error: {
        code: 'rate_limited',
        message: expect.stringContaining(`retry in ${seconds} second`),
        details: [],
      },
      requestId: expect.any(String),
    });
    expect(res.headers['x-request-id']).toBe(res.body.requestId);
  };

  it('issue 11.5: past the per-minute limit workspace A gets 429 with Retry-After; workspace B is not affected', async () => {
    // Two users of workspace A share its budget; batches stay under the per-second limit.
    const usersOfA = [await token('ws-minute-a', 'user-1'), await token('ws-minute-a', 'user-2')];
    for (let sent = 0; sent < PER_MINUTE; sent += PER_SECOND) {
      expect(await burst(usersOfA, PER_SECOND)).toEqual(Array(PER_SECOND).fill(200));
      await sleep(1_100);
    }

    // The per-second window is empty again: this is the per-minute limit (~56 s left).
    expectRateLimited(await list(usersOfA[1]), 50, 60);
    expectRateLimited(await list(await token('ws-minute-a', 'user-3')), 50, 60);

    const b = await token('ws-minute-b');
    expect(await burst([b], PER_SECOND)).toEqual(Array(PER_SECOND).fill(200));
    expect((await list(usersOfA[0])).status).toBe(429);
  });

  it('issue 11.5: after the window passes workspace A is served again (per-second burst limit)', async () => {
    const a = await token('ws-burst-a');
    const b = await token('ws-burst-b');
    expect(await burst([a], PER_SECOND)).toEqual(Array(PER_SECOND).fill(200));

    const limited = await list(a);
    expectRateLimited(limited, 1, 1);
    expect((await list(b)).status).toBe(200);

    await sleep(Number(limited.headers['retry-after']) * 1_000 + 100);
    expect((await list(a)).status).toBe(200);
  });

  it('issue 11.5: /health/ready and /health/live are never limited, even with a limited workspace token', async () => {
    const a = await token('ws-health-a');
    expect(await burst([a], PER_SECOND + 1)).toContain(429);

    const probes = Array.from({ length: PER_MINUTE + 5 }, (_, i) => {
      const path = i % 2 === 0 ? '/health/ready' : '/health/live';
      const req = request(server).get(path);
      return i % 3 === 0 ? req.set('authorization', `Bearer ${a}`) : req;
    });
    const statuses = (await Promise.all(probes)).map((res) => res.status);
    expect(statuses).toEqual(Array(PER_MINUTE + 5).fill(200));
  });

  it('issue 11.5: requests without a valid token are answered 401 by the auth guard, never 429', async () => {
    const statuses = await Promise.all(
      Array.from({ length: PER_SECOND + 3 }, () => request(server).get('/v1/mailboxes')),
    );
    expect(statuses.map((res) => res.status)).toEqual(Array(PER_SECOND + 3).fill(401));
  });
});

describe('rate limits switched off (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({
      ...authEnv(),
      RATE_LIMIT_ENABLED: 'false',
      RATE_LIMIT_PER_SECOND: '1',
      RATE_LIMIT_PER_MINUTE: '1',
    });
  });
  afterAll(() => t.close());

  it('RATE_LIMIT_ENABLED=false serves every request', async () => {
    const auth = `Bearer ${await bearer({ wid: 'ws-unlimited' })}`;
    const server = t.app.getHttpServer();
    const all = Array.from({ length: 5 }, () =>
      request(server).get('/v1/mailboxes').set('authorization', auth),
    );
    expect((await Promise.all(all)).map((res) => res.status)).toEqual(Array(5).fill(200));
  });
});
