import { randomBytes, randomUUID, scryptSync } from 'node:crypto';
import type { PrismaService } from '../../src/common/database/prisma.service.js';
import { hashPassword } from '../../src/modules/console/staff/password.js';

export const STAFF_PASSWORD = 'correct horse battery staple';

/** A console staff user with STAFF_PASSWORD (or the one given). */
export async function buildStaff(
  prisma: PrismaService,
  overrides: {
    email?: string;
    role?: 'viewer' | 'operator' | 'admin';
    password?: string;
    passwordHash?: string;
  } = {},
) {
  return prisma.staffUser.create({
    data: {
      id: randomUUID(),
      email: overrides.email ?? `staff-${randomUUID().slice(0, 8)}@scendcore.test`,
      role: overrides.role ?? 'operator',
      passwordHash:
        overrides.passwordHash ?? (await hashPassword(overrides.password ?? STAFF_PASSWORD)),
      passwordChangedAt: new Date(),
      createdBy: 'test',
    },
  });
}

/** A hash as the console's first version stored it (scrypt N=2^15, r=8, p=3), made here by hand. */
export function legacyScryptHash(password: string): string {
  const [N, r, p] = [2 ** 15, 8, 3];
  const salt = randomBytes(16);
  const hash = scryptSync(password.normalize('NFKC'), salt, 32, { N, r, p, maxmem: 256 * N * r });
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}
