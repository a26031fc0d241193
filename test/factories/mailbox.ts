import { randomUUID } from 'node:crypto';
import type { PrismaService } from '../../src/common/database/prisma.service.js';
import type { Mailbox } from '../../src/generated/prisma/client.js';

export async function buildMailbox(
  db: PrismaService,
  overrides: Partial<Mailbox> & { workspaceId: string },
): Promise<Mailbox> {
  await db.workspace.createMany({ data: [{ id: overrides.workspaceId }], skipDuplicates: true });
  const id = overrides.id ?? randomUUID();
  return db.mailbox.create({
    data: {
      id,
      connectionType: 'delegated',
      tenantId: randomUUID(),
      msUserId: randomUUID(),
      email: `user-${id.slice(0, 8)}@contoso.test`,
      displayName: 'Test User',
      connectedByUserId: 'user-a',
      ...overrides,
    },
  });
}
