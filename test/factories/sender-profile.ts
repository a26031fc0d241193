import { randomUUID } from 'node:crypto';
import type { PrismaService } from '../../src/common/database/prisma.service.js';
import type { SenderProfile } from '../../src/generated/prisma/client.js';

export async function buildSenderProfile(
  db: PrismaService,
  overrides: Partial<Omit<SenderProfile, 'pace'>> & { workspaceId: string },
): Promise<SenderProfile> {
  await db.workspace.createMany({ data: [{ id: overrides.workspaceId }], skipDuplicates: true });
  const id = overrides.id ?? randomUUID();
  return db.senderProfile.create({
    data: { id, name: `Profile ${id.slice(0, 8)}`, fromName: 'Test Sender', ...overrides },
  });
}
