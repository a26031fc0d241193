import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import {
  WORKSPACE_STATUS_TTL_MS,
  WorkspaceService,
} from '../../src/common/auth/workspace.service.js';
import { type Instances, startInstances } from '../support/instances.js';
import { authEnv, bearer } from '../support/tokens.js';

/**
 * The auth guard answers a workspace's status from a short in-process cache: a suspension must
 * refuse calls at once on the instance that made it, and on every other instance within
 * WORKSPACE_STATUS_TTL_MS.
 */
describe('workspace status cache (two service instances)', () => {
  let t: Instances;
  let token: string;

  beforeAll(async () => {
    t = await startInstances(2, authEnv());
    token = await bearer({ wid: 'ws-cache' });
  });
  afterAll(() => t.close());

  const get = (i: number) =>
    request(t.apps[i].getHttpServer()).get('/v1/mailboxes').set('authorization', `Bearer ${token}`);
  const workspaces = (i: number) => t.apps[i].get(WorkspaceService);
  const system = { type: 'system' } as const;

  /** Polls instance i until it answers `status`; the milliseconds that took. */
  const until = async (i: number, status: number): Promise<number> => {
    const started = Date.now();
    while (Date.now() - started < WORKSPACE_STATUS_TTL_MS + 3_000) {
      if ((await get(i)).status === status) return Date.now() - started;
      await sleep(50);
    }
    throw new Error(`instance ${i} never answered ${status}`);
  };

  it('suspended: 403 workspace_inactive at once here, within the bound on the other instance; reactivation likewise', async () => {
    expect((await get(0)).status).toBe(200);
    expect((await get(1)).status).toBe(200);

    await workspaces(0).suspend('ws-cache', system);
    const here = await get(0);
    expect([here.status, here.body.error?.code]).toEqual([403, 'workspace_inactive']);
    expect(await until(1, 403)).toBeLessThanOrEqual(WORKSPACE_STATUS_TTL_MS + 500);
    const there = await get(1);
    expect(there.body.error.code).toBe('workspace_inactive');

    await workspaces(1).reactivate('ws-cache', system);
    expect((await get(1)).status).toBe(200);
    expect(await until(0, 200)).toBeLessThanOrEqual(WORKSPACE_STATUS_TTL_MS + 500);
  });

  it('requests in flight while the status changes never leave the old status cached here', async () => {
    for (let round = 0; round < 5; round += 1) {
      const inFlight = Array.from({ length: 20 }, () => get(0).then((r) => r.status));
      await workspaces(0).suspend('ws-cache', system);
      await Promise.all(inFlight);
      expect((await get(0)).status).toBe(403);
      const again = Array.from({ length: 20 }, () => get(0).then((r) => r.status));
      await workspaces(0).reactivate('ws-cache', system);
      await Promise.all(again);
      expect((await get(0)).status).toBe(200);
    }
  });
});
