import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { toMailboxResponse } from '../../src/modules/email-setup/dto/mailbox.response.js';
import { MailboxService } from '../../src/modules/mailbox/mailbox.service.js';
import { IdentityQueryService } from '../../src/modules/identity/identity-query.service.js';
import { toMessageResponse } from '../../src/modules/outbound/dto/message.dto.js';
import { MessageNotFoundError } from '../../src/modules/outbound/outbound.errors.js';
import { OutboundService } from '../../src/modules/outbound/outbound.service.js';
import { buildMailbox } from '../factories/mailbox.js';
import { buildSenderProfile } from '../factories/sender-profile.js';
import { createTestApp, type TestApp } from '../support/app.js';

/**
 * The hot REST reads use plain statements with only the columns they show; what they return must
 * be what the rows hold: types, dates, stored JSON, the order.
 */
describe('REST hot reads (integration, real PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('groups identities by mailbox in type then email order, with the scan row when there is one', async () => {
    const db = t.db.prisma;
    const workspaceId = `ws-${randomUUID()}`;
    const [scanned, empty] = await Promise.all([
      buildMailbox(db, { workspaceId }),
      buildMailbox(db, { workspaceId }),
    ]);
    const identity = (email: string, type: 'primary' | 'alias' | 'send_as', extra = {}) => ({
      id: randomUUID(),
      mailboxId: scanned.id,
      workspaceId,
      email,
      type,
      source: 'discovered' as const,
      ...extra,
    });
    const seenAt = new Date('2026-11-29T10:11:12.345Z');
    await db.identity.createMany({
      data: [
        identity('b@contoso.test', 'alias'),
        identity('z@contoso.test', 'primary', { lastSeenAt: seenAt, verifiedAt: seenAt }),
        identity('a@contoso.test', 'alias', {
          paceOverride: { dailyLimit: 40 },
          status: 'inactive',
        }),
        identity('c@contoso.test', 'send_as'),
      ],
    });
    await db.identityScan.create({
      data: { mailboxId: scanned.id, scannedAt: seenAt, lastError: 'boom', nextScanAt: seenAt },
    });
    const stored = await db.identity.findMany({ where: { mailboxId: scanned.id } });
    const unknown = randomUUID();

    const found = await t.app
      .get(IdentityQueryService)
      .forMailboxes([scanned.id, empty.id, scanned.id, unknown]);

    expect([...found.keys()].sort()).toEqual([scanned.id, empty.id, unknown].sort());
    expect(found.get(empty.id)).toEqual({ identities: [], scan: undefined });
    expect(found.get(unknown)).toEqual({ identities: [], scan: undefined });
    const { identities, scan } = found.get(scanned.id)!;
    expect(scan).toEqual({ scannedAt: seenAt, lastError: 'boom' });
    expect(identities.map((i) => i.email)).toEqual([
      'z@contoso.test',
      'a@contoso.test',
      'b@contoso.test',
      'c@contoso.test',
    ]);
    for (const listed of identities) {
      const { workspaceId: _w, updatedAt: _u, ...row } = stored.find((s) => s.id === listed.id)!;
      expect(listed).toEqual(row);
    }
    expect(identities[1].paceOverride).toEqual({ dailyLimit: 40 });
    expect(identities[0].lastSeenAt).toEqual(seenAt);
    expect(identities[0].createdAt).toBeInstanceOf(Date);
  });

  it('answers an empty map for no mailboxes', async () => {
    expect((await t.app.get(IdentityQueryService).forMailboxes([])).size).toBe(0);
  });

  it('a message read shows what the whole row shows, and only in its workspace', async () => {
    const db = t.db.prisma;
    const workspaceId = `ws-${randomUUID()}`;
    const profile = await buildSenderProfile(db, { workspaceId });
    const at = new Date('2026-11-29T08:09:10.111Z');
    const row = await db.outboundMessage.create({
      data: {
        id: randomUUID(),
        workspaceId,
        senderProfileId: profile.id,
        toRecipients: [{ email: 'a@example.com', name: 'Ann' }, { email: 'b@example.com' }],
        ccRecipients: [{ email: 'c@example.com' }],
        bccRecipients: [{ email: 'd@example.com', name: 'Dee' }],
        recipientCount: 4,
        subject: 'Quote',
        textBody: 'body not shown',
        status: 'sent',
        attempts: 2,
        fromEmail: 'sender@contoso.test',
        requestHash: 'hash',
        marker: randomUUID(),
        internetMessageId: '<x@contoso.test>',
        conversationId: 'conv-1',
        errorCode: 'transient',
        errorMessage: 'once failed',
        sentAt: at,
        nextAttemptAt: at,
        isReply: true,
        inReplyTo: '<y@example.com>',
        waitingReason: 'waiting_for_window',
        suppressedRecipients: [{ email: 'e@example.com', field: 'to', reason: 'bounced' }],
      },
    });
    const outbound = t.app.get(OutboundService);

    const shown = await outbound.get({ workspaceId, userId: 'u' }, row.id);

    expect(toMessageResponse(shown)).toEqual(toMessageResponse(row));
    expect(JSON.stringify(toMessageResponse(shown))).toBe(JSON.stringify(toMessageResponse(row)));
    await expect(outbound.get({ workspaceId: 'ws-other', userId: 'u' }, row.id)).rejects.toThrow(
      MessageNotFoundError,
    );
  });

  it('mailbox pages: connected ones by creation time then id, each shown as its whole row shows', async () => {
    const db = t.db.prisma;
    const workspaceId = `ws-${randomUUID()}`;
    const same = new Date('2026-11-01T00:00:00.500Z');
    const at = new Date('2026-11-02T03:04:05.678Z');
    await Promise.all([
      buildMailbox(db, { workspaceId, createdAt: same, statusReasonSince: at, status: 'error' }),
      buildMailbox(db, { workspaceId, createdAt: same, tokenRefreshedAt: at }),
      buildMailbox(db, { workspaceId, createdAt: at, organizationId: null, inboundEnabled: true }),
      buildMailbox(db, { workspaceId, createdAt: at, disconnectedAt: at }),
      buildMailbox(db, { workspaceId: `ws-${randomUUID()}` }),
    ]);
    const whole = await db.mailbox.findMany({
      where: { workspaceId, disconnectedAt: null },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
    const mailboxes = t.app.get(MailboxService);
    const actor = { workspaceId, userId: 'u' };

    const shown = [];
    let cursor: string | undefined;
    for (let page = 0; page < 5; page += 1) {
      const result = await mailboxes.list(actor, 1, cursor);
      shown.push(...result.items);
      if (!result.nextCursor) break;
      cursor = result.nextCursor;
    }

    expect(shown.map((m) => m.id)).toEqual(whole.map((m) => m.id));
    expect(JSON.stringify(shown.map((m) => toMailboxResponse(m)))).toBe(
      JSON.stringify(whole.map((m) => toMailboxResponse(m))),
    );
  });
});
