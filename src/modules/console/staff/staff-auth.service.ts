import { Injectable, Logger } from '@nestjs/common';
import { AuditService } from '../../../common/audit/audit.service.js';
import { AppConfig } from '../../../common/config/app-config.js';
import { PrismaService } from '../../../common/database/prisma.service.js';
import { hashPassword, needsRehash, verifyAgainstNothing, verifyPassword } from './password.js';
import { StaffRepository, type StaffRow } from './staff.repository.js';
import { afterFailedLogin, isLocked, normalizeEmail, type StaffRole } from './staff.rules.js';

/** The signed-in staff member, as the console and its audit rows see them. */
export interface StaffPrincipal {
  id: string;
  email: string;
  name: string | null;
  role: StaffRole;
}

export type SignInResult =
  | { ok: true; staff: StaffPrincipal }
  | { ok: false; reason: 'invalid' | 'disabled' }
  | { ok: false; reason: 'locked'; lockedUntil: Date };

const MAX_INPUT = 256;

/**
 * Staff sign-in: argon2id verification (an unknown email costs the same time; scrypt hashes of
 * old are upgraded), a lockout after CONSOLE_LOGIN_MAX_FAILURES wrong passwords in a row for
 * CONSOLE_LOCKOUT_MINUTES, audited.
 */
@Injectable()
export class StaffAuthService {
  private readonly logger = new Logger(StaffAuthService.name);

  constructor(
    private readonly staff: StaffRepository,
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  async signIn(email: string, password: string, ip: string | undefined): Promise<SignInResult> {
    const row =
      email.length <= MAX_INPUT ? await this.staff.findByEmail(normalizeEmail(email)) : null;
    if (!row || password.length > MAX_INPUT) {
      await verifyAgainstNothing(password.slice(0, MAX_INPUT));
      this.logger.warn({ ip }, 'console sign-in refused: unknown email');
      return { ok: false, reason: 'invalid' };
    }
    if (isLocked(row, new Date())) {
      this.logger.warn({ staffId: row.id, ip }, 'console sign-in refused: account locked');
      return { ok: false, reason: 'locked', lockedUntil: row.lockedUntil as Date };
    }
    if (!(await verifyPassword(password, row.passwordHash))) return this.failed(row.id, ip);
    if (row.status !== 'active') {
      this.logger.warn({ staffId: row.id, ip }, 'console sign-in refused: account disabled');
      return { ok: false, reason: 'disabled' };
    }
    return { ok: true, staff: await this.succeeded(row, password, ip) };
  }

  private async succeeded(row: StaffRow, password: string, ip?: string): Promise<StaffPrincipal> {
    const rehash = needsRehash(row.passwordHash) ? await hashPassword(password) : undefined;
    await this.prisma.$transaction(async (tx) => {
      await this.staff.update(tx, row.id, {
        failedLogins: 0,
        lockedUntil: null,
        lastLoginAt: new Date(),
        ...(rehash ? { passwordHash: rehash } : {}),
      });
      await this.audit.record(tx, {
        actor: { type: 'staff', id: row.id },
        action: 'staff.signed_in',
        target: { type: 'staff_user', id: row.id },
        metadata: { ip: ip ?? null },
      });
    });
    this.logger.log({ staffId: row.id, ip }, 'console sign-in');
    return { id: row.id, email: row.email, name: row.name, role: row.role };
  }

  private async failed(id: string, ip?: string): Promise<SignInResult> {
    const policy = {
      maxFailures: this.config.console.maxFailedLogins,
      lockoutMs: this.config.console.lockoutMs,
    };
    const outcome = await this.prisma.$transaction(async (tx) => {
      const row = await this.staff.lock(tx, id);
      if (!row) return undefined;
      const next = afterFailedLogin(row, new Date(), policy);
      await this.staff.update(tx, id, {
        failedLogins: next.failedLogins,
        lockedUntil: next.lockedUntil,
      });
      await this.audit.record(tx, {
        actor: { type: 'system' },
        action: next.lockedNow ? 'staff.locked' : 'staff.sign_in_failed',
        target: { type: 'staff_user', id },
        metadata: {
          ip: ip ?? null,
          failedLogins: next.lockedNow ? policy.maxFailures : next.failedLogins,
        },
      });
      return next;
    });
    this.logger.warn(
      { staffId: id, ip, locked: outcome?.lockedNow },
      'console sign-in: wrong password',
    );
    return outcome?.lockedNow
      ? { ok: false, reason: 'locked', lockedUntil: outcome.lockedUntil as Date }
      : { ok: false, reason: 'invalid' };
  }
}
