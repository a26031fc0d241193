import { randomUUID } from 'node:crypto';
import type { PrismaService } from '../../src/common/database/prisma.service.js';

export function buildWorkspace(
  db: PrismaService,
  overrides: { id?: string; status?: 'active' | 'suspended' } = {},
) {
  return db.workspace.create({
    data: { id: overrides.id ?? `ws_${randomUUID()}`, status: overrides.status ?? 'active' },
  });
}
