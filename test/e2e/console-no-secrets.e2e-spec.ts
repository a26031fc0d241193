import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { Prisma } from '../../src/generated/prisma/client.js';
import { ConsoleCatalog } from '../../src/modules/console/console.catalog.js';
import { SuppressionService } from '../../src/modules/outbound/suppression.service.js';
import type { ResourceDef } from '../../src/modules/console/admin/definitions.js';
import { ADELE, CONTOSO_TENANT_ID, SANDBOX_APP } from '../../src/sandbox/seed.js';
import { buildInboundMessage, buildInboundSubscription } from '../factories/inbound.js';
import { buildOrganization } from '../factories/organization.js';
import { queueMessages } from '../factories/outbound.js';
import { buildStaff } from '../factories/staff.js';
import { ConsoleBrowser } from '../support/console.js';
import { call, createSandboxApp, type SandboxApp, sandboxToken } from '../support/sandbox-app.js';
import { assign, connectMailbox, createProfile } from '../support/sending.js';

/** Column names that hold secrets or their hashes (tokens, ciphertexts, client state, ...). */
const SECRET_COLUMN = '(token|secret|hash|cipher|client_state|password|oidc|delta_link|binding)';
/** Tables whose primary key is itself a secret's hash. */
const SECRET_KEYS = ['admin_consent_attempt', 'console_session'];
/** Outbound message filters on why a message waits (each matches one seeded message). */
const WAITING_FILTERS = ['waitingReason', 'heldByPace', 'isReply'];

interface Sentinel {
  where: string;
  value: string;
}

/**
 * Sentinels in every secret column, then every console page, API answer, filter, sort and
 * search is read: none may contain a secret (or a long piece of one).
 */
describe('operations console shows no secret (e2e, sentinels in every secret column)', () => {
  let t: SandboxApp;
  let admin: ConsoleBrowser;
  const sentinels: Sentinel[] = [];
  const bodies: { where: string; body: string }[] = [];

  beforeAll(async () => {
    t = await createSandboxApp();
    const token = await sandboxToken(t, 'u-1', 'ws-secrets');
    const mailbox = await connectMailbox(t, token, ADELE.id);
    const profileId = await createProfile(t, token);
    await assign(t, token, mailbox.primaryIdentityId, profileId);
    const sent = await call(t, 'POST', '/v1/messages', {
      token,
      body: { senderProfileId: profileId, to: ['lead@example.com'], subject: 'Hello', text: 'Hi' },
    });
    expect(sent.status).toBe(202);
    const staff = await buildStaff(t.db.prisma, { role: 'admin' });
    await seedRowsOfSecretTables(mailbox.mailboxId, staff.id);
    await seedWaitingMessages(profileId);
    admin = new ConsoleBrowser(t.baseUrl);
    expect((await admin.login(staff.email)).status).toBe(303);
    await seedSentinels();
  });
  afterAll(() => t.close());

  /**
   * A queued message the pace holds (the "Held by pace" card, the waiting reason filter) and a
   * queued reply (the reply filter), both due far ahead so the dispatcher leaves them queued.
   */
  async function seedWaitingMessages(profileId: string): Promise<void> {
    const [held, reply] = await queueMessages(t.db.prisma, profileId, 2, 'waiting', 'ws-secrets');
    const later = new Date(Date.now() + 30 * 24 * 3600_000);
    await t.db.prisma.outboundMessage.update({
      where: { id: held },
      data: { waitingReason: 'waiting_for_window', nextAttemptAt: later },
    });
    await t.db.prisma.outboundMessage.update({
      where: { id: reply },
      data: { isReply: true, nextAttemptAt: later },
    });
  }

  async function seedRowsOfSecretTables(mailboxId: string, staffId: string): Promise<void> {
    const p = t.db.prisma;
    await buildOrganization(p, { workspaceId: 'ws-secrets', tenantId: CONTOSO_TENANT_ID });
    // A failing subscription (so the dashboard's card and its filter list a row) and a replied
    // message whose reply text is kept out of the console.
    await buildInboundSubscription(p, {
      mailboxId,
      workspaceId: 'ws-secrets',
      deltaLink: 'https://graph.test/delta',
      lastError: 'graph_503',
      lastErrorAt: new Date(),
    });
    const replied = await buildInboundMessage(p, {
      mailboxId,
      workspaceId: 'ws-secrets',
      action: 'replied',
      replyMarker: 'reply-marker-1',
      replyBookedAt: new Date(),
      replySentAt: new Date(),
      replyText: secret('inbound_message.reply_text'),
    });
    // The guard rails: a draft awaiting review (its text kept out too), an escalated message,
    // and the mailbox's own reply policy (shown on its page).
    await buildInboundMessage(p, {
      mailboxId,
      workspaceId: 'ws-secrets',
      stage: 'awaiting_review',
      action: null,
      replyMarker: 'reply-marker-2',
      replyMode: 'review',
      replyStatus: 'awaiting_review',
      replyDraftId: 'draft-1',
      replyBookedAt: new Date(),
      replyText: secret('inbound_message.reply_text of a draft'),
    });
    await buildInboundMessage(p, {
      mailboxId,
      workspaceId: 'ws-secrets',
      action: 'escalated',
      reason: 'escalated:refund',
      escalationTopic: 'refund',
    });
    await p.inboundReplyPolicy.create({
      data: {
        mailboxId,
        workspaceId: 'ws-secrets',
        replyMode: 'review',
        escalationTopics: [{ topic: 'refund', phrases: ['refund'] }],
        businessHours: { timeZone: 'UTC', days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' },
      },
    });
    // Suppressions: one detected in that inbound message, one added by a user.
    const suppressions = t.app.get(SuppressionService);
    await suppressions.addDetected('ws-secrets', 'bounced@example.com', 'hard_bounce', replied.id);
    await suppressions.addManual(
      { userId: 'u-1', workspaceId: 'ws-secrets' },
      'optout@example.com',
      'asked by phone',
    );
    await p.adminConsentAttempt.create({
      data: {
        id: secret('admin_consent_attempt.id'),
        workspaceId: 'ws-secrets',
        userId: 'u-1',
        returnTo: 'http://frontend.test',
        expiresAt: new Date(Date.now() + 3600_000),
      },
    });
    await p.consoleSession.create({
      data: {
        id: secret('console_session.id'),
        staffUserId: staffId,
        lastSeenAt: new Date(),
        expiresAt: new Date(Date.now() + 3600_000),
      },
    });
  }

  /** Overwrites every secret column of every row with a sentinel of its own. */
  async function seedSentinels(): Promise<void> {
    const columns = await t.db.prisma.$queryRaw<{ table: string; column: string; type: string }[]>`
      SELECT table_name AS table, column_name AS column, data_type AS type
        FROM information_schema.columns
       WHERE table_schema = 'public' AND data_type IN ('text', 'jsonb')
         AND column_name ~ ${SECRET_COLUMN} AND table_name NOT LIKE '\\_prisma%'`;
    expect(columns.map((c) => `${c.table}.${c.column}`)).toEqual(
      expect.arrayContaining([
        'mailbox_credential.refresh_token',
        'mailbox_credential.access_token',
        'inbound_subscription.client_state_hash',
        'inbound_subscription.delta_link',
        'oauth_attempt.binding_hash',
        'staff_user.password_hash',
      ]),
    );
    for (const { table, column, type } of columns) {
      const value = secret(`${table}.${column}`);
      const set = type === 'jsonb' ? Prisma.sql`to_jsonb(${value}::text)` : Prisma.sql`${value}`;
      await t.db.prisma
        .$executeRaw`UPDATE ${Prisma.raw(`"${table}"`)} SET ${Prisma.raw(`"${column}"`)} = ${set}`;
    }
    for (const table of SECRET_KEYS) {
      const rows = await t.db.prisma.$queryRaw<{ n: number }[]>`
        SELECT count(*)::int AS n FROM ${Prisma.raw(`"${table}"`)} WHERE id LIKE 'S3NT1NEL-%'`;
      expect(rows[0].n).toBeGreaterThan(0);
    }
    sentinels.push(
      { where: 'MICROSOFT_CLIENT_SECRET', value: SANDBOX_APP.clientSecret },
      { where: 'console session cookie', value: admin.cookies.get('scendcore_console') as string },
    );
    expect(sentinels.length).toBeGreaterThanOrEqual(12);
  }

  function secret(where: string): string {
    const value = `S3NT1NEL-${where.replace(/\W/g, '-')}-${randomBytes(12).toString('hex')}`;
    sentinels.push({ where, value });
    return value;
  }

  async function read(where: string, path: string, api = false): Promise<string> {
    const res = api ? await admin.api(path) : await admin.call('GET', path);
    expect([where, res.status]).toEqual([where, 200]);
    bodies.push({ where, body: res.body });
    return res.body;
  }

  const definitions = (): ResourceDef[] => t.app.get(ConsoleCatalog).definitions();

  it('offers no secret-looking field on any resource', () => {
    const fields = definitions().flatMap((d) => d.fields.map((f) => `${d.id}.${f.path}`));
    const secretish = fields.filter((f) =>
      /token|secret|hash|cipher|clientState|oidc|deltaLink|binding/i.test(f.split('.')[1]),
    );
    expect(secretish.filter((f) => !/tokenRefresh|tokenExpires|TokenRefresh/.test(f))).toEqual([]);
  });

  it('walks every list and record page (HTML and API), every filter, sort and search', async () => {
    await read('dashboard page', '/admin');
    await read('dashboard API', '/dashboard', true);
    for (const def of definitions()) {
      await read(`${def.id} list page`, `/admin/resources/${def.id}`);
      // Organizations are listed per workspace (their module's service reads one at a time).
      const scope = def.id === 'organizations' ? '&filters.workspaceId=ws-secrets' : '';
      const list = JSON.parse(
        await read(`${def.id} list`, `/resources/${def.id}/actions/list?perPage=500${scope}`, true),
      ) as { records: { id: string }[]; meta: { total: number } };
      expect([def.id, list.records.length > 0]).toEqual([def.id, true]);
      expect([def.id, list.records.length]).toEqual([def.id, expect.any(Number)]);
      for (const record of list.records) {
        const id = encodeURIComponent(record.id);
        await read(`${def.id} show`, `/resources/${def.id}/records/${id}/show`, true);
        await read(`${def.id} show page`, `/admin/resources/${def.id}/records/${id}/show`);
      }
      await walkFilters(def, list.meta.total, scope);
      await read(`${def.id} search`, `/resources/${def.id}/actions/search/S3NT1NEL`, true);
    }
    expect(bodies.length).toBeGreaterThan(40);
  });

  async function walkFilters(def: ResourceDef, total: number, scope: string): Promise<void> {
    for (const field of def.fields.filter((f) => f.filter)) {
      const value =
        field.type === 'datetime'
          ? '~~from=2000-01-01'
          : field.type === 'boolean'
            ? '=true'
            : `=${field.values?.[0] ?? 'S3NT1NEL'}`;
      const path = `/resources/${def.id}/actions/list?filters.${field.path}${value}&sortBy=${field.path}${scope}`;
      const answer = JSON.parse(await read(`${def.id} filter ${field.path}`, path, true)) as {
        meta: { total: number };
      };
      // The waiting filters find the seeded messages (the walk reads real rows, not an empty list).
      if (def.id === 'outbound_messages' && WAITING_FILTERS.includes(field.path))
        expect([field.path, answer.meta.total]).toEqual([field.path, 1]);
    }
    for (const column of ['refreshToken', 'accessToken', 'passwordHash', 'clientStateHash', 'id']) {
      const value = sentinels[0].value;
      const path = `/resources/${def.id}/actions/list?filters.${column}~~x=${value}&filters.${column}=${value}&sortBy=${column}${scope}`;
      const answer = JSON.parse(await read(`${def.id} secret filter ${column}`, path, true)) as {
        meta: { total: number };
      };
      // A filter on a secret column is no filter at all (and "id" matches no sentinel row).
      if (column !== 'id')
        expect([def.id, column, answer.meta.total]).toEqual([def.id, column, total]);
    }
  }

  it('walks every dashboard card’s list (page and API): failing subscriptions, new suppressions, drafts awaiting review, escalations and messages held by pace among them', async () => {
    const { cards } = JSON.parse(await read('dashboard API', '/dashboard', true)) as {
      cards: { key: string; count: number; href: string }[];
    };
    const failing = cards.find((card) => card.key === 'failing-subscriptions');
    expect(failing).toMatchObject({ count: 1 });
    const suppressed = cards.find((card) => card.key === 'suppressed-24h');
    expect(suppressed).toMatchObject({ count: 2 });
    const review = cards.find((card) => card.key === 'ai-replies-awaiting-review');
    expect(review).toMatchObject({ count: 1 });
    const escalated = cards.find((card) => card.key === 'escalated-24h');
    expect(escalated).toMatchObject({ count: 1 });
    const held = cards.find((card) => card.key === 'held-by-pace');
    expect(held).toMatchObject({ count: 1 });
    for (const card of cards) {
      await read(`dashboard card ${card.key} page`, card.href);
      const [resourcePath, query] = card.href.replace('/admin', '').split('?');
      const list = JSON.parse(
        await read(
          `dashboard card ${card.key} list`,
          `${resourcePath}/actions/list?${query}`,
          true,
        ),
      ) as { meta: { total: number }; records: { id: string }[] };
      expect([card.key, list.meta.total]).toEqual([card.key, card.count]);
      for (const record of list.records) {
        const id = encodeURIComponent(record.id);
        await read(`${card.key} show`, `${resourcePath}/records/${id}/show`, true);
      }
    }
  });

  it('shows staff forms without the password hash', async () => {
    const rows = await t.db.prisma.staffUser.findMany();
    for (const row of rows) {
      await read('staff edit form', `/resources/staff_users/records/${row.id}/edit`, true);
    }
    await read('staff new form', '/admin/resources/staff_users/actions/new');
  });

  it('found none of the secrets anywhere', () => {
    for (const { where, body } of bodies) {
      for (const s of sentinels) {
        const leaked = body.includes(s.value) || body.includes(s.value.slice(-20));
        if (leaked) throw new Error(`${s.where} appeared in ${where}`);
      }
    }
  });
});
