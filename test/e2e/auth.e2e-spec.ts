import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { buildMailbox } from '../factories/mailbox.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { authEnv, bearer, foreignRs256 } from '../support/tokens.js';

describe('workspace auth (e2e)', () => {
  let t: TestApp;
  let server: App;

  beforeAll(async () => {
    t = await createTestApp(authEnv());
    server = t.app.getHttpServer();
  });
  afterAll(() => t.close());

  const expect401 = async (authorization?: string) => {
    const req = request(server).get('/v1/mailboxes');
    const res = await (authorization ? req.set('authorization', authorization) : req).expect(401);
    expect(res.body.error.code).toBe('unauthenticated');
    expect(res.body.requestId).toEqual(expect.any(String));
  };

  it('401 without a token, with a malformed header, and with each kind of bad token', async () => {
    await expect401();
    await expect401('Basic abc');
    await expect401(`Bearer ${await bearer({ expiresInSec: -120 })}`);
    await expect401(`Bearer ${await bearer({ audience: 'someone-else' })}`);
    await expect401(`Bearer ${await bearer({ issuer: 'https://evil.example' })}`);
    await expect401(
      `Bearer ${await bearer({ secret: 'another-secret-another-secret-another-secret' })}`,
    );
    await expect401(`Bearer ${await foreignRs256()}`);
    await expect401(`Bearer ${await bearer({ wid: null })}`);
    await expect401('Bearer not.a.jwt');
  });

  it('creates the workspace on first use and answers 200', async () => {
    const token = await bearer({ wid: 'ws-new' });
    await request(server)
      .get('/v1/mailboxes')
      .set('authorization', `Bearer ${token}`)
      .expect(200, { items: [], nextCursor: null });
    const ws = await t.db.prisma.workspace.findUniqueOrThrow({ where: { id: 'ws-new' } });
    expect(ws.status).toBe('active');
  });

  it('403 workspace_inactive for a suspended workspace', async () => {
    await t.db.prisma.workspace.create({ data: { id: 'ws-suspended', status: 'suspended' } });
    const token = await bearer({ wid: 'ws-suspended' });
    const res = await request(server)
      .get('/v1/mailboxes')
      .set('authorization', `Bearer ${token}`)
      .expect(403);
    expect(res.body.error.code).toBe('workspace_inactive');
  });

  it("workspace B cannot read or disconnect workspace A's mailbox (404, nothing in the body)", async () => {
    const mailbox = await buildMailbox(t.db.prisma, { workspaceId: 'ws-owner' });
    const a = `Bearer ${await bearer({ wid: 'ws-owner' })}`;
    const b = `Bearer ${await bearer({ wid: 'ws-other', sub: 'user-b' })}`;
    await request(server).get(`/v1/mailboxes/${mailbox.id}`).set('authorization', a).expect(200);
    const read = await request(server)
      .get(`/v1/mailboxes/${mailbox.id}`)
      .set('authorization', b)
      .expect(404);
    expect(read.body.error.code).toBe('mailbox_not_found');
    expect(JSON.stringify(read.body)).not.toContain(mailbox.email);
    const missing = await request(server)
      .get(`/v1/mailboxes/00000000-0000-4000-8000-000000000000`)
      .set('authorization', b)
      .expect(404);
    expect(missing.body.error).toEqual(read.body.error);
    const list = await request(server).get('/v1/mailboxes').set('authorization', b).expect(200);
    expect(list.body.items).toEqual([]);
    await request(server).delete(`/v1/mailboxes/${mailbox.id}`).set('authorization', b).expect(404);
    const still = await t.db.prisma.mailbox.findUniqueOrThrow({ where: { id: mailbox.id } });
    expect(still.disconnectedAt).toBeNull();
  });

  it('health and docs need no token', async () => {
    await request(server).get('/health/live').expect(200);
    await request(server).get('/docs-json').expect(200);
  });

  it('sandbox mode issues demo tokens the guard accepts', async () => {
    const issued = await request(server).post('/v1/sandbox/token').send({}).expect(200);
    expect(issued.body).toMatchObject({ userId: 'demo-user', workspaceId: 'demo-workspace' });
    await request(server)
      .get('/v1/mailboxes')
      .set('authorization', `Bearer ${issued.body.token}`)
      .expect(200);
  });
});

describe('workspace auth outside sandbox mode (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      ...authEnv(),
      MICROSOFT_CLIENT_ID: 'app',
      MICROSOFT_CLIENT_SECRET: 'secret',
    });
  });
  afterAll(() => t.close());

  it('has no sandbox token endpoint', async () => {
    const res = await request(t.app.getHttpServer()).post('/v1/sandbox/token').send({}).expect(404);
    expect(res.body.error.code).toBe('not_found');
  });
});
