import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SenderProfileService } from '../../src/modules/sender-profile/sender-profile.service.js';
import { CONTOSO_TENANT_ID } from '../../src/sandbox/seed.js';
import { buildSenderProfile } from '../factories/sender-profile.js';
import {
  call,
  connectJourney,
  createSandboxApp,
  type SandboxApp,
  sandboxToken,
} from '../support/sandbox-app.js';

interface ProfileBody {
  id: string;
  name: string;
  fromName: string;
  replyTo: string | null;
  identityIds: string[];
  sendable: boolean;
  notSendableReason: string | null;
  createdAt: string;
  updatedAt: string;
}
interface IdentityBody {
  id: string;
  email: string;
  type: string;
  status: string;
  displayName: string | null;
  senderProfileId: string | null;
}
interface ErrorBody {
  error: { code: string; details: { field: string; message: string }[] };
}

const WS = 'ws-sp';

describe('sender profiles (e2e against the emulator)', () => {
  let t: SandboxApp;
  let token: string;
  let other: string;

  beforeAll(async () => {
    t = await createSandboxApp();
    token = await sandboxToken(t, 'user-a', WS);
    other = await sandboxToken(t, 'user-z', 'ws-sp-other');
  });
  afterAll(() => t.close());

  const create = (body: unknown, tok = token) =>
    call(t, 'POST', '/v1/sender-profiles', { token: tok, body });
  const newProfile = async (name = 'Outreach') =>
    (await create({ name, fromName: 'Adele Vance' })).json<ProfileBody>();
  const profile = async (id: string) =>
    (await call(t, 'GET', `/v1/sender-profiles/${id}`, { token })).json<ProfileBody>();
  const assign = (identityId: string, body: unknown, tok = token) =>
    call(t, 'PATCH', `/v1/identities/${identityId}`, { token: tok, body });
  const errorOf = (res: { json<T>(): T }) => res.json<ErrorBody>().error;

  /** Connects a fresh emulator user; returns its mailbox and identities by email. */
  const connectUser = async (name: string, aliases: string[] = []) => {
    const mail = `${name}-${randomUUID().slice(0, 6)}@contoso.com`;
    const user = t.emulator.control.addUser(CONTOSO_TENANT_ID, {
      displayName: name,
      mail,
      proxyAddresses: [`SMTP:${mail}`, ...aliases.map((a) => `smtp:${a}`)],
    });
    const run = await connectJourney(t, token, user.id);
    const mailboxId = run.landed.searchParams.get('connected');
    if (!mailboxId) throw new Error(`connect failed: ${run.landed}`);
    const res = await call(t, 'GET', `/v1/mailboxes/${mailboxId}`, { token });
    const identities = res.json<{ identities: IdentityBody[] }>().identities;
    const byEmail = (email: string) => identities.find((i) => i.email === email) as IdentityBody;
    return { userId: user.id, mailboxId, primary: byEmail(mail), byEmail };
  };

  it('create (201), get, patch (partial; replyTo null clears) with audit rows', async () => {
    const res = await create({ name: ' Outreach ', fromName: 'Adele', replyTo: 'r@contoso.com' });
    expect(res.status).toBe(201);
    const body = res.json<ProfileBody>();
    expect(body).toEqual({
      id: expect.any(String),
      name: 'Outreach',
      fromName: 'Adele',
      replyTo: 'r@contoso.com',
      identityIds: [],
      sendable: false,
      notSendableReason: 'no_identity_assigned',
      pace: null,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(await profile(body.id)).toEqual(body);

    const renamed = await call(t, 'PATCH', `/v1/sender-profiles/${body.id}`, {
      token,
      body: { name: 'Renamed' },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.json<ProfileBody>()).toMatchObject({
      name: 'Renamed',
      replyTo: 'r@contoso.com',
    });
    const cleared = await call(t, 'PATCH', `/v1/sender-profiles/${body.id}`, {
      token,
      body: { replyTo: null, fromName: 'Adele Vance' },
    });
    expect(cleared.json<ProfileBody>()).toMatchObject({
      name: 'Renamed',
      fromName: 'Adele Vance',
      replyTo: null,
    });
    const audit = await t.db.prisma.auditLog.findMany({ where: { targetId: body.id } });
    expect(audit.map((a) => a.action).sort()).toEqual([
      'sender_profile.created',
      'sender_profile.updated',
      'sender_profile.updated',
    ]);
  });

  it('missing or non-UUID ids → 404 sender_profile_not_found', async () => {
    for (const id of [randomUUID(), 'not-a-uuid']) {
      const res = await call(t, 'GET', `/v1/sender-profiles/${id}`, { token });
      expect(res.status).toBe(404);
      expect(errorOf(res).code).toBe('sender_profile_not_found');
    }
  });

  it('lists with ?limit&cursor until nextCursor is null', async () => {
    const ws = 'ws-sp-pages';
    const tok = await sandboxToken(t, 'user-p', ws);
    const made = await Promise.all(
      [1, 2, 3, 4, 5].map(() => buildSenderProfile(t.db.prisma, { workspaceId: ws })),
    );
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `limit=2&cursor=${cursor}` : 'limit=2';
      const res = await call(t, 'GET', `/v1/sender-profiles?${query}`, { token: tok });
      expect(res.status).toBe(200);
      const page = res.json<{ items: ProfileBody[]; nextCursor: string | null }>();
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((p) => p.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual(made.map((p) => p.id).sort());
    const tooBig = await call(t, 'GET', '/v1/sender-profiles?limit=101', { token: tok });
    expect(tooBig.status).toBe(400);
  });

  it('validation: missing name, blank fromName, bad replyTo, unknown field → 400 with field details', async () => {
    const before = await t.db.prisma.senderProfile.count();
    const cases: [unknown, string][] = [
      [{ fromName: 'A' }, 'name'],
      [{ name: 'N', fromName: '   ' }, 'fromName'],
      [{ name: 'N', fromName: 'A', replyTo: 'nope' }, 'replyTo'],
      [{ name: 'N', fromName: 'A', rotation: 1 }, 'rotation'],
      [{ name: 'x'.repeat(101), fromName: 'A' }, 'name'],
    ];
    for (const [body, field] of cases) {
      const res = await create(body);
      expect(res.status).toBe(400);
      expect(errorOf(res)).toMatchObject({
        code: 'validation_failed',
        details: expect.arrayContaining([expect.objectContaining({ field })]),
      });
    }
    expect(await t.db.prisma.senderProfile.count()).toBe(before);
    const p = await newProfile();
    const nulled = await call(t, 'PATCH', `/v1/sender-profiles/${p.id}`, {
      token,
      body: { name: null },
    });
    expect(nulled.status).toBe(400);
    expect(errorOf(nulled).details[0].field).toBe('name');
  });

  it("another workspace's profile and identity answer 404, for get, patch and assignment", async () => {
    const mine = await newProfile('Mine');
    const theirs = (await create({ name: 'Theirs', fromName: 'Z' }, other)).json<ProfileBody>();
    const box = await connectUser('wsp');
    for (const [method, body] of [
      ['GET', undefined],
      ['PATCH', { name: 'Stolen' }],
    ] as const) {
      const res = await call(t, method, `/v1/sender-profiles/${mine.id}`, { token: other, body });
      expect(res.status).toBe(404);
      expect(errorOf(res).code).toBe('sender_profile_not_found');
    }
    const list = await call(t, 'GET', '/v1/sender-profiles', { token: other });
    expect(list.json<{ items: ProfileBody[] }>().items.map((p) => p.id)).toEqual([theirs.id]);

    const foreignIdentity = await assign(box.primary.id, { senderProfileId: theirs.id }, other);
    expect(foreignIdentity.status).toBe(404);
    expect(errorOf(foreignIdentity).code).toBe('identity_not_found');
    const foreignProfile = await assign(box.primary.id, { senderProfileId: theirs.id });
    expect(foreignProfile.status).toBe(404);
    expect(errorOf(foreignProfile).code).toBe('sender_profile_not_found');
    const unknown = await assign(randomUUID(), { senderProfileId: mine.id });
    expect(errorOf(unknown).code).toBe('identity_not_found');
    expect((await profile(mine.id)).name).toBe('Mine');
    const stored = await t.db.prisma.identity.findUnique({ where: { id: box.primary.id } });
    expect(stored?.senderProfileId).toBeNull();
  });

  it('assigning identities of two mailboxes makes the profile sendable; assignment moves; null unassigns', async () => {
    const p1 = await newProfile('One');
    const p2 = await newProfile('Two');
    const a = await connectUser('ann');
    const b = await connectUser('ben');
    const res = await assign(a.primary.id, { senderProfileId: p1.id, displayName: 'Ann A.' });
    expect(res.status).toBe(200);
    expect(res.json<IdentityBody>()).toMatchObject({
      id: a.primary.id,
      senderProfileId: p1.id,
      displayName: 'Ann A.',
      status: 'active',
    });
    await assign(b.primary.id, { senderProfileId: p1.id });
    expect(await profile(p1.id)).toMatchObject({
      identityIds: expect.arrayContaining([a.primary.id, b.primary.id]),
      sendable: true,
      notSendableReason: null,
    });
    expect((await profile(p1.id)).identityIds).toHaveLength(2);

    await assign(b.primary.id, { senderProfileId: p2.id });
    expect((await profile(p1.id)).identityIds).toEqual([a.primary.id]);
    expect(await profile(p2.id)).toMatchObject({ identityIds: [b.primary.id], sendable: true });

    const off = await assign(b.primary.id, { senderProfileId: null });
    expect(off.json<IdentityBody>().senderProfileId).toBeNull();
    expect(await profile(p2.id)).toMatchObject({
      identityIds: [],
      sendable: false,
      notSendableReason: 'no_identity_assigned',
    });
    const audit = await t.db.prisma.auditLog.findMany({ where: { targetId: b.primary.id } });
    expect(audit.map((e) => e.action)).toEqual(
      expect.arrayContaining(['identity.assigned', 'identity.unassigned']),
    );
  });

  it('assignment body: partial (senderProfileId and/or displayName; null unassigns), displayName 1–256', async () => {
    const box = await connectUser('val');
    for (const body of [{}, { senderProfileId: null, displayName: '' }, { senderProfileId: 7 }]) {
      const res = await assign(box.primary.id, body);
      expect(res.status).toBe(400);
      expect(errorOf(res).code).toBe('validation_failed');
    }
    const missing = await assign(box.primary.id, {});
    expect(errorOf(missing).details[0].field).toBe('senderProfileId');
    const p = await newProfile('Partial');
    await assign(box.primary.id, { senderProfileId: p.id });
    const renamed = await assign(box.primary.id, { displayName: 'Val only renamed' });
    expect(renamed.status).toBe(200);
    expect(renamed.json()).toMatchObject({
      displayName: 'Val only renamed',
      senderProfileId: p.id,
    });
    const notUuid = await assign('nope', { senderProfileId: null });
    expect(notUuid.status).toBe(404);
    expect(errorOf(notUuid).code).toBe('identity_not_found');
  });

  it('an alias removed in Microsoft 365 (Refresh) → no_active_identity; a mailbox needing re-auth → mailboxes_need_reauth', async () => {
    const alias = `alias-${randomUUID().slice(0, 6)}@contoso.com`;
    const box = await connectUser('ivy', [alias]);
    const p = await newProfile('Alias only');
    await assign(box.byEmail(alias).id, { senderProfileId: p.id });
    expect((await profile(p.id)).sendable).toBe(true);

    t.emulator.control.removeAlias(box.userId, `smtp:${alias}`);
    expect(
      (await call(t, 'POST', `/v1/mailboxes/${box.mailboxId}/refresh`, { token })).status,
    ).toBe(200);
    expect(await profile(p.id)).toMatchObject({
      identityIds: [box.byEmail(alias).id],
      sendable: false,
      notSendableReason: 'no_active_identity',
    });

    await assign(box.primary.id, { senderProfileId: p.id });
    expect((await profile(p.id)).sendable).toBe(true);
    await t.db.prisma.mailbox.update({
      where: { id: box.mailboxId },
      data: { status: 'needs_reauth' },
    });
    expect(await profile(p.id)).toMatchObject({
      sendable: false,
      notSendableReason: 'mailboxes_need_reauth',
    });
    const service = t.app.get(SenderProfileService);
    expect(await service.sendability({ userId: 'user-a', workspaceId: WS }, p.id)).toEqual({
      sendable: false,
      reason: 'mailboxes_need_reauth',
    });
  });

  it('an inactive identity can still be assigned and is returned as it is', async () => {
    const alias = `old-${randomUUID().slice(0, 6)}@contoso.com`;
    const box = await connectUser('ola', [alias]);
    const id = box.byEmail(alias).id;
    await t.db.prisma.identity.update({ where: { id }, data: { status: 'inactive' } });
    const p = await newProfile('Inactive');
    const res = await assign(id, { senderProfileId: p.id });
    expect(res.status).toBe(200);
    expect(res.json<IdentityBody>()).toMatchObject({ status: 'inactive', senderProfileId: p.id });
    expect((await profile(p.id)).notSendableReason).toBe('no_active_identity');
  });

  it('SenderProfileService.delete unassigns the identities and deletes the profile', async () => {
    const box = await connectUser('del');
    const p = await newProfile('Doomed');
    await assign(box.primary.id, { senderProfileId: p.id });
    const service = t.app.get(SenderProfileService);
    const actor = { userId: 'user-a', workspaceId: WS };
    await expect(
      service.delete({ ...actor, workspaceId: 'ws-sp-other' }, p.id),
    ).rejects.toMatchObject({ code: 'sender_profile_not_found' });
    await service.delete(actor, p.id);
    const stored = await t.db.prisma.identity.findUnique({ where: { id: box.primary.id } });
    expect(stored?.senderProfileId).toBeNull();
    expect((await call(t, 'GET', `/v1/sender-profiles/${p.id}`, { token })).status).toBe(404);
    const audit = await t.db.prisma.auditLog.findFirst({
      where: { targetId: p.id, action: 'sender_profile.deleted' },
    });
    expect(audit?.metadata).toEqual({ unassigned: 1 });
    await expect(service.get(actor, p.id)).rejects.toMatchObject({ status: 404 });
  });
});
