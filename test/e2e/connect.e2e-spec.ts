import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ADELE, CONTOSO_TENANT_ID, MEGAN } from '../../src/sandbox/seed.js';
import {
  call,
  connectJourney,
  createSandboxApp,
  type SandboxApp,
  sandboxToken,
} from '../support/sandbox-app.js';

describe('Connect Microsoft 365 (e2e journey against the emulator)', () => {
  let t: SandboxApp;
  let token: string;

  beforeAll(async () => {
    t = await createSandboxApp();
    token = await sandboxToken(t, 'user-a', 'ws-a');
  });
  afterAll(() => t.close());

  it('connect → Microsoft sign-in → Accept → back on Email Setup with the mailbox listed as active', async () => {
    const run = await connectJourney(t, token, ADELE.id);
    expect(run.landed.origin + run.landed.pathname).toBe(
      'http://frontend.test/settings/email-setup',
    );
    const mailboxId = run.landed.searchParams.get('connected');
    expect(mailboxId).toBeTruthy();
    expect(run.landed.searchParams.get('error')).toBeNull();

    const list = await call(t, 'GET', '/v1/mailboxes', { token });
    expect(list.status).toBe(200);
    const body = list.json<{ items: Record<string, unknown>[]; nextCursor: string | null }>();
    expect(body.items).toHaveLength(1);
    expect(body.items[0]).toMatchObject({
      id: mailboxId,
      provider: 'microsoft',
      connectionType: 'delegated',
      tenantId: CONTOSO_TENANT_ID,
      email: ADELE.mail,
      displayName: ADELE.displayName,
      status: 'active',
      inbound: { enabled: false },
    });
    const stored = await t.db.prisma.mailboxCredential.findUniqueOrThrow({
      where: { mailboxId: mailboxId as string },
    });
    expect(stored.refreshToken).toMatch(/^v1\./);
  });

  it('reconnecting the same account updates its mailbox and clears needs_reauth', async () => {
    const first = await connectJourney(t, token, ADELE.id);
    const id = first.landed.searchParams.get('connected') as string;
    await t.db.prisma.mailbox.update({
      where: { id },
      data: { status: 'needs_reauth', statusReason: 'invalid_grant' },
    });
    const again = await connectJourney(t, token, ADELE.id);
    expect(again.landed.searchParams.get('connected')).toBe(id);
    const got = await call(t, 'GET', `/v1/mailboxes/${id}`, { token });
    expect(got.json()).toMatchObject({ id, status: 'active', statusReason: null });
    const audit = await t.db.prisma.auditLog.findMany({
      where: { targetId: id },
      orderBy: { at: 'asc' },
    });
    expect(audit.map((a) => a.action)).toContain('mailbox.reconnected');
  });

  it('disconnect: 204, gone from the list, credentials deleted, event and audit recorded; reconnect starts fresh', async () => {
    const run = await connectJourney(t, token, ADELE.id);
    const id = run.landed.searchParams.get('connected') as string;
    await t.db.prisma.mailbox.update({
      where: { id },
      data: { inboundEnabled: true, inboundBehavior: 'full_auto' },
    });
    const del = await call(t, 'DELETE', `/v1/mailboxes/${id}`, { token });
    expect(del.status).toBe(204);
    expect((await call(t, 'GET', `/v1/mailboxes/${id}`, { token })).status).toBe(404);
    expect(await t.db.prisma.mailboxCredential.count({ where: { mailboxId: id } })).toBe(0);
    const events = await t.db.prisma.outboxEvent.findMany({
      where: { name: 'mailbox.disconnected' },
    });
    expect(events.map((e) => (e.payload as { mailboxId: string }).mailboxId)).toContain(id);
    expect(
      await t.db.prisma.auditLog.count({ where: { targetId: id, action: 'mailbox.disconnected' } }),
    ).toBe(1);
    expect((await call(t, 'DELETE', `/v1/mailboxes/${id}`, { token })).status).toBe(404);

    const back = await connectJourney(t, token, ADELE.id);
    const again = await call(
      t,
      'GET',
      `/v1/mailboxes/${back.landed.searchParams.get('connected')}`,
      { token },
    );
    expect(again.json()).toMatchObject({
      status: 'active',
      inbound: { enabled: false, behavior: 'triage_only' },
    });
  });

  it('pages the mailbox list', async () => {
    const other = await sandboxToken(t, 'user-p', 'ws-pages');
    for (const user of [ADELE.id, MEGAN.id]) await connectJourney(t, other, user);
    const first = await call(t, 'GET', '/v1/mailboxes?limit=1', { token: other });
    const page1 = first.json<{ items: { id: string }[]; nextCursor: string }>();
    expect(page1.items).toHaveLength(1);
    const second = await call(t, 'GET', `/v1/mailboxes?limit=1&cursor=${page1.nextCursor}`, {
      token: other,
    });
    const page2 = second.json<{ items: { id: string }[]; nextCursor: string | null }>();
    expect(page2.items).toHaveLength(1);
    expect(page2.items[0].id).not.toBe(page1.items[0].id);
    // Stable order: first connected first (Adele, then Megan), whatever their ids.
    const all = (await call(t, 'GET', '/v1/mailboxes', { token: other })).json<{
      items: { email: string }[];
    }>();
    expect(all.items.map((m) => m.email)).toEqual([ADELE.mail, MEGAN.mail]);
    const junk = await call(t, 'GET', '/v1/mailboxes?cursor=not-a-cursor', { token: other });
    expect(junk.status).toBe(400);
    const bad = await call(t, 'GET', '/v1/mailboxes?limit=1000', { token: other });
    expect(bad.status).toBe(400);
    expect(bad.json<{ error: { code: string } }>().error.code).toBe('validation_failed');
  });

  it('sandbox: GET /v1/sandbox/connect binds an attempt to this browser and goes to the sign-in', async () => {
    const res = await call(t, 'GET', '/v1/sandbox/connect?userId=user-s&workspaceId=ws-s');
    expect(res.status).toBe(302);
    expect(String(res.headers.location)).toMatch(/\/v1\/microsoft\/authorize\?attempt=/);
    expect(String(res.headers['set-cookie'])).toMatch(/^scendcore_connect=.*HttpOnly/i);
    const attempt = await t.db.prisma.oAuthAttempt.findFirstOrThrow({
      where: { workspaceId: 'ws-s', userId: 'user-s' },
    });
    expect(attempt.bindingHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('issue 15: the status reason comes in words with the next step', async () => {
    const run = await connectJourney(t, token, MEGAN.id);
    const id = run.landed.searchParams.get('connected') as string;
    const fresh = (await call(t, 'GET', `/v1/mailboxes/${id}`, { token })).json();
    expect(fresh).toMatchObject({ status: 'active', statusMessage: null, statusAction: 'none' });
    await t.db.prisma.mailbox.update({
      where: { id },
      data: { status: 'needs_reauth', statusReason: 'invalid_grant' },
    });
    const dead = (await call(t, 'GET', `/v1/mailboxes/${id}`, { token })).json();
    expect(dead).toMatchObject({ statusReason: 'invalid_grant', statusAction: 'reconnect' });
    expect(String(dead.statusMessage)).toMatch(/Reconnect/);
  });
});
