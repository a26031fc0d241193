import { randomUUID } from 'node:crypto';
import type { AppConfig } from '../../src/common/config/app-config.js';
import type { PrismaService } from '../../src/common/database/prisma.service.js';
import type { M365Emulator } from '../../src/sandbox/emulator.js';
import { seedDelegatedMailboxes } from './delegated-mailbox.js';
import { buildSenderProfile } from './sender-profile.js';

export interface SendingWorld {
  profileId: string;
  mailboxes: { mailboxId: string; email: string; msUserId: string }[];
}

/** `mailboxes` connected mailboxes, each with its primary identity assigned to one profile. */
export async function seedSendingWorld(
  emulator: M365Emulator,
  prisma: PrismaService,
  config: AppConfig,
  mailboxes: number,
  workspaceId = 'ws-send',
): Promise<SendingWorld> {
  const seeded = await seedDelegatedMailboxes(emulator, prisma, config, mailboxes, {
    workspaceId,
    expiresInMs: -1000,
  });
  const profile = await buildSenderProfile(prisma, { workspaceId, fromName: 'Outreach Team' });
  await prisma.identity.createMany({
    data: seeded.map((m) => ({
      id: randomUUID(),
      mailboxId: m.mailboxId,
      workspaceId,
      email: m.email,
      type: 'primary' as const,
      source: 'discovered' as const,
      senderProfileId: profile.id,
    })),
  });
  return { profileId: profile.id, mailboxes: seeded };
}

/**
 * An alias on the world's first mailbox (in the emulator and stored as a discovered identity),
 * assigned to `profileId`: a second identity of that profile, or another profile's identity
 * that shares the mailbox. Returns the alias address.
 */
export async function addAliasIdentity(
  emulator: M365Emulator,
  prisma: PrismaService,
  world: SendingWorld,
  profileId: string,
  workspaceId = 'ws-send',
): Promise<string> {
  const [first] = world.mailboxes;
  const alias = `alias-${randomUUID().slice(0, 6)}@contoso.com`;
  emulator.control.addAlias(first.msUserId, `smtp:${alias}`);
  await prisma.identity.create({
    data: {
      id: randomUUID(),
      mailboxId: first.mailboxId,
      workspaceId,
      email: alias,
      type: 'alias',
      source: 'discovered',
      senderProfileId: profileId,
    },
  });
  return alias;
}

/** Queues `count` messages (subject `<prefix>-<i>`, one recipient each) on the profile. */
export async function queueMessages(
  prisma: PrismaService,
  profileId: string,
  count: number,
  prefix: string,
  workspaceId = 'ws-send',
): Promise<string[]> {
  const rows = Array.from({ length: count }, (_, i) => ({
    id: randomUUID(),
    workspaceId,
    senderProfileId: profileId,
    toRecipients: [{ email: `lead-${i}@example.com` }],
    recipientCount: 1,
    subject: `${prefix}-${i}`,
    textBody: 'Hello',
    requestHash: randomUUID(),
    marker: randomUUID(),
  }));
  await prisma.outboundMessage.createMany({ data: rows });
  return rows.map((r) => r.id);
}
