import { randomUUID } from 'node:crypto';
import type { PrismaService } from '../../src/common/database/prisma.service.js';
import type { Organization } from '../../src/generated/prisma/client.js';

/**
 * An organization row as a consent leaves it (due for its first sync), consented an hour ago
 * unless told otherwise: past Entra's replication window, so a refusal means revocation.
 */
export async function buildOrganization(
  db: PrismaService,
  overrides: Partial<Organization> & { workspaceId: string; tenantId: string },
): Promise<Organization> {
  await db.workspace.createMany({ data: [{ id: overrides.workspaceId }], skipDuplicates: true });
  return db.organization.create({
    data: {
      id: randomUUID(),
      connectedByUserId: 'owner-1',
      grantedAt: new Date(Date.now() - 3600_000),
      nextSyncAt: new Date(Date.now() - 1000),
      ...overrides,
      lastSyncCounts: {},
    },
  });
}

/** Makes the organization due for its sync now. */
export function makeDue(db: PrismaService, organizationId: string) {
  return db.organization.update({
    where: { id: organizationId },
    data: { nextSyncAt: new Date(Date.now() - 1000) },
  });
}
