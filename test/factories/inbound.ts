import { randomUUID } from 'node:crypto';
import type { PrismaService } from '../../src/common/database/prisma.service.js';
import type {
  InboundMessage,
  InboundSubscription,
  Prisma,
} from '../../src/generated/prisma/client.js';

/** A mailbox's inbound delivery row (healthy, notifications, unless overridden). */
export async function buildInboundSubscription(
  db: PrismaService,
  overrides: Partial<InboundSubscription> & { mailboxId: string; workspaceId: string },
): Promise<InboundSubscription> {
  const { updatedAt, ...rest } = overrides;
  const row = await db.inboundSubscription.create({
    data: {
      mode: 'notifications',
      since: new Date(Date.now() - 3600_000),
      graphSubscriptionId: `sub-${randomUUID()}`,
      clientStateHash: 'a'.repeat(64),
      expiresAt: new Date(Date.now() + 2 * 24 * 3600_000),
      renewAt: new Date(Date.now() + 24 * 3600_000),
      lastCatchUpAt: new Date(Date.now() - 60_000),
      ...rest,
    },
  });
  if (!updatedAt) return row;
  // @updatedAt is set by Prisma on every write: age the row afterwards.
  await db.$executeRaw`UPDATE inbound_subscription SET updated_at = ${updatedAt} WHERE mailbox_id = ${row.mailboxId}`;
  return { ...row, updatedAt };
}

/** A received message and the pipeline's decision (triaged, unless overridden). */
export function buildInboundMessage(
  db: PrismaService,
  overrides: Partial<Prisma.InboundMessageUncheckedCreateInput> & {
    mailboxId: string;
    workspaceId: string;
  },
): Promise<InboundMessage> {
  const id = overrides.id ?? randomUUID();
  return db.inboundMessage.create({
    data: {
      id,
      graphMessageId: `graph-${id}`,
      source: 'notification',
      stage: 'done',
      internetMessageId: `<${id}@example.com>`,
      conversationId: `conv-${id.slice(0, 8)}`,
      fromAddress: 'lead@example.com',
      fromName: 'A Lead',
      subject: 'Interested in a demo',
      receivedAt: new Date(Date.now() - 10 * 60_000),
      category: 'lead',
      intent: 'book_demo',
      confidence: 0.92,
      summary: 'Asks for a product demo next week.',
      provider: 'rules',
      action: 'triaged',
      reason: 'triage_only',
      processedAt: new Date(),
      ...overrides,
    },
  });
}
