import { randomUUID } from 'node:crypto';
import type { PrismaService } from '../../src/common/database/prisma.service.js';
import { hashPassword } from '../../src/modules/console/staff/password.js';

export const STAFF_PASSWORD = 'correct horse battery staple';

/** A console staff user with STAFF_PASSWORD (or the one given). */
export async function buildStaff(
  prisma: PrismaService,
  overrides: { email?: string; role?: 'viewer' | 'operator' | 'admin'; password?: string } = {},
) {
  return prisma.staffUser.create({
    data: {
      id: randomUUID(),
      email: overrides.email ?? `staff-${randomUUID().slice(0, 8)}@scendcore.test`,
      role: overrides.role ?? 'operator',
      passwordHash: await hashPassword(overrides.password ?? STAFF_PASSWORD),
      passwordChangedAt: new Date(),
      createdBy: 'test',
    },
  });
}
