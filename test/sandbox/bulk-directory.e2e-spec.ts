import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { BulkTenantResult } from '../../src/sandbox/seed.js';
import { SANDBOX_APP } from '../../src/sandbox/seed.js';
import { appToken, graphCaller, startGraphWorld, type GraphWorld } from './support/graph-world.js';

interface Page {
  value: Array<Record<string, unknown>>;
  '@odata.nextLink'?: string;
}

describe('bulk tenants: seeding thousands of users and paging /users', () => {
  let world: GraphWorld;

  beforeAll(async () => {
    world = await startGraphWorld({ seed: 'empty' });
    world.emulator.control.seed({
      tenants: [{ name: 'publisher' }],
      apps: [
        {
          ...SANDBOX_APP,
          applicationPermissions: [...SANDBOX_APP.applicationPermissions],
          delegatedPermissions: [...SANDBOX_APP.delegatedPermissions],
        },
      ],
    });
  });

  afterAll(() => world.close());

  async function allPages(token: string, first: string): Promise<Page[]> {
    const graph = graphCaller(world.http, token);
    const pages: Page[] = [];
    for (let next: string | undefined = first; next;) {
      const res = await graph.get(next);
      expect(res.status).toBe(200);
      const page = res.json<Page>();
      pages.push(page);
      next = page['@odata.nextLink'];
    }
    return pages;
  }

  it('seeds 10,000 users with mixed mailbox kinds in well under a second', () => {
    const started = performance.now();
    const result = world.emulator.control.seedBulkTenant({
      name: 'big',
      users: 10_000,
      sharedEvery: 10,
      disabledEvery: 7,
      noMailboxEvery: 50,
      roomEvery: 250,
      equipmentEvery: 333,
    });
    const elapsed = performance.now() - started;
    expect(elapsed).toBeLessThan(1_000);
    expect(result).toMatchObject({ defaultDomain: 'big.onmicrosoft.com', created: 10_000 });
    const { counts } = result;
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(10_000);
    expect(counts.noMailbox).toBe(200);
    expect(counts.equipment).toBe(30);
    expect(counts.room).toBe(0);
    const { control } = world.emulator;
    expect(control.user('shared00010@big.onmicrosoft.com')).toMatchObject({
      kind: 'shared',
      accountEnabled: false,
    });
    expect(control.user('disabled00007@big.onmicrosoft.com')).toMatchObject({
      kind: 'user',
      accountEnabled: false,
      hasMailbox: true,
    });
    expect(control.user('nomailbox00050@big.onmicrosoft.com')).toMatchObject({
      mail: null,
      hasMailbox: false,
    });
    expect(control.users(result.tenantId)).toHaveLength(10_000);
  });

  it('pages 2,500 users in exactly 3 pages of $top=999 with $select (tenant seeded over HTTP)', async () => {
    const res = await world.http.sendJson('POST', '/_emulator/bulk-tenants', {
      name: 'paging',
      users: 2_500,
      sharedEvery: 5,
      roomEvery: 100,
    });
    expect(res.status).toBe(201);
    const { tenantId, counts } = res.json<BulkTenantResult>();
    expect(counts).toMatchObject({ room: 25, shared: 475, user: 2_000 });
    const token = await appToken(world, tenantId);
    const select = 'id,displayName,mail,userPrincipalName,proxyAddresses,accountEnabled';
    const pages = await allPages(token, `/v1.0/users?$top=999&$select=${select}`);
    expect(pages.map((p) => p.value.length)).toEqual([999, 999, 502]);
    const users = pages.flatMap((p) => p.value);
    expect(new Set(users.map((u) => u.id)).size).toBe(2_500);
    expect(Object.keys(users[0]).sort()).toEqual(select.split(',').sort());
    expect(users.find((u) => u.userPrincipalName === 'shared00005@paging.onmicrosoft.com')).toEqual(
      expect.objectContaining({
        mail: 'shared00005@paging.onmicrosoft.com',
        proxyAddresses: ['SMTP:shared00005@paging.onmicrosoft.com'],
        accountEnabled: false,
      }),
    );
  });

  it('adds users to an existing tenant, numbering on, and pages 10,000+ users', async () => {
    const big = world.emulator.control.tenants().find((t) => t.name === 'big');
    const more = world.emulator.control.seedBulkTenant({
      tenantId: 'big.onmicrosoft.com',
      users: 5,
    });
    expect(more.tenantId).toBe(big?.id);
    expect(world.emulator.control.user('user10005@big.onmicrosoft.com').tenantId).toBe(big?.id);
    const token = await appToken(world, more.tenantId);
    const pages = await allPages(token, '/v1.0/users?$top=999&$select=id,mail');
    expect(pages).toHaveLength(11);
    expect(pages.reduce((n, p) => n + p.value.length, 0)).toBe(10_005);
  });
});
