import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { PipelineService } from '../../src/modules/inbound/pipeline.service.js';
import { seedDelegatedMailboxes } from '../factories/delegated-mailbox.js';
import { inboundFixture } from '../support/inbound-fixtures.js';
import { type Instances, startInstances } from '../support/instances.js';

describe('inbound pipeline on two instances sharing one database', () => {
  let world: Instances;

  beforeAll(async () => {
    world = await startInstances(2, { INBOUND_CONCURRENCY: '4' });
  });
  afterAll(() => world.close());

  it('20 messages over 4 mailboxes, both instances draining at once: each processed once, one reply each', async () => {
    const { db, emulator, config, apps } = world;
    const mailboxes = await seedDelegatedMailboxes(emulator, db.prisma, config, 4, {
      workspaceId: 'ws-two',
      expiresInMs: -1000,
    });
    await db.prisma.mailbox.updateMany({
      data: { inboundEnabled: true, inboundBehavior: 'full_auto', inboundPurpose: 'new_business' },
    });
    await db.prisma.identity.createMany({
      data: mailboxes.map((m) => ({
        id: randomUUID(),
        mailboxId: m.mailboxId,
        workspaceId: 'ws-two',
        email: m.email,
        type: 'primary' as const,
        source: 'discovered' as const,
      })),
    });
    // Replies go out at once, and lead.eml's quote request is not escalated (pricing topic off).
    await db.prisma.inboundReplyPolicy.createMany({
      data: mailboxes.map((m) => ({
        mailboxId: m.mailboxId,
        workspaceId: 'ws-two',
        replyMode: 'send',
        escalationTopics: [],
      })),
    });
    const since = new Date();
    const rows = [];
    for (let i = 0; i < 20; i += 1) {
      const mailbox = mailboxes[i % mailboxes.length];
      const raw = inboundFixture('human', 'lead.eml', mailbox.email).replace(
        '<lead-1@prospect.example>',
        `<lead-${i}@prospect.example>`,
      );
      const message = emulator.control.graph.injectRaw(mailbox.email, raw);
      rows.push({
        id: randomUUID(),
        workspaceId: 'ws-two',
        mailboxId: mailbox.mailboxId,
        graphMessageId: message.id,
        source: 'delta',
      });
    }
    await db.prisma.inboundMessage.createMany({ data: rows });
    const drain = async (service: PipelineService) => {
      for (let round = 0; round < 40; round += 1) {
        const result = await service.runOnce(3);
        if (result.claimed === 0) {
          if ((await db.prisma.inboundMessage.count({ where: { stage: { not: 'done' } } })) === 0)
            return;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    };
    await Promise.all(apps.map((app) => drain(app.get(PipelineService))));
    const replies = emulator.control.graph
      .sentMail({ since })
      .filter((s) => s.operation === 'send');
    expect(replies).toHaveLength(20);
    const answered = replies.map(
      (r) => r.internetMessageHeaders.find((h) => h.name === 'In-Reply-To')?.value,
    );
    expect(new Set(answered).size).toBe(20);
    const done = await db.prisma.inboundMessage.findMany({ where: { workspaceId: 'ws-two' } });
    expect(done.map((r) => r.action)).toEqual(Array(20).fill('replied'));
  }, 60_000);
});
