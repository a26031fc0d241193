import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { DispatchService } from '../../src/modules/outbound/dispatch.service.js';
import { queueMessages, seedSendingWorld, type SendingWorld } from '../factories/outbound.js';
import { type Instances, startInstances } from '../support/instances.js';

const MAILBOXES = 24;
const PER_WINDOW = 2;

/**
 * A profile with more mailboxes than the booking reads the usage of (the 16 least recently
 * used): when those are full, the ones beyond are found (their usage read once the first tries
 * turn out full) and none goes over its limit.
 */
describe('dispatch over a profile with many mailboxes (integration)', () => {
  let t: Instances;
  let world: SendingWorld;

  beforeAll(async () => {
    t = await startInstances(1, {
      OUTBOUND_MAILBOX_WINDOW_MS: '60000',
      OUTBOUND_MAILBOX_WINDOW_MARGIN_MS: '2000',
      OUTBOUND_MAILBOX_MESSAGES_PER_WINDOW: String(PER_WINDOW),
    });
    world = await seedSendingWorld(t.emulator, t.db.prisma, t.config, MAILBOXES);
    const identities = await t.db.prisma.identity.findMany({
      where: { senderProfileId: world.profileId },
      orderBy: { mailboxId: 'asc' },
    });
    // The 20 least recently used mailboxes are full (2 sends 20 s ago); the 4 used last have
    // room for one more (1 send 1 s ago).
    const rows = identities.flatMap((identity, i) => {
      const full = i < MAILBOXES - 4;
      return Array.from({ length: full ? PER_WINDOW : 1 }, () => ({
        id: randomUUID(),
        workspaceId: 'ws-send',
        senderProfileId: world.profileId,
        identityId: identity.id,
        mailboxId: identity.mailboxId,
        fromEmail: identity.email,
        toRecipients: [{ email: 'earlier@example.com' }],
        recipientCount: 1,
        subject: 'earlier',
        textBody: 'Hello',
        requestHash: randomUUID(),
        marker: randomUUID(),
        status: 'sent' as const,
        sendingStartedAt: new Date(Date.now() - (full ? 20_000 : 1_000)),
        sentAt: new Date(),
      }));
    });
    await t.db.prisma.outboundMessage.createMany({ data: rows });
    world.mailboxes.sort((a, b) => a.mailboxId.localeCompare(b.mailboxId));
  });
  afterAll(() => t?.close());

  it('books the mailboxes with room beyond the 16 read first, and defers the rest', async () => {
    const since = new Date();
    const ids = await queueMessages(t.db.prisma, world.profileId, 8, 'beyond');
    const result = await t.apps[0].get(DispatchService).dispatchOnce();
    expect(result).toMatchObject({ claimed: 8, sent: 4, deferred: 4 });
    const withRoom = world.mailboxes.slice(MAILBOXES - 4).map((m) => m.msUserId);
    const senders = t.emulator.control.graph.sentMail({ since }).map((s) => s.mailboxId);
    expect(senders.sort()).toEqual([...withRoom].sort());
    const deferred = await t.db.prisma.outboundMessage.findMany({
      where: { id: { in: ids }, status: 'queued' },
    });
    expect(deferred).toHaveLength(4);
    expect(deferred.every((m) => m.waitingReason === 'mailbox_limit')).toBe(true);
  }, 60_000);
});
