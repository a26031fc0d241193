import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { type AuditEntry, AuditService } from '../../../common/audit/audit.service.js';
import { AppConfig } from '../../../common/config/app-config.js';
import type { ListingFilters, ListingQuery } from '../../../common/database/listing.js';
import { isUuid } from '../../../common/database/listing.js';
import { PrismaService } from '../../../common/database/prisma.service.js';
import type { Tx } from '../../../common/database/transaction.js';
import { ValidationFailedError } from '../../../common/errors/domain-error.js';
import { LastAdminError, StaffEmailTakenError, StaffNotFoundError } from '../console.errors.js';
import { hashPassword } from './password.js';
import { SessionRepository } from './session.repository.js';
import {
  type StaffChanges,
  type StaffListing,
  StaffRepository,
  type StaffRow,
} from './staff.repository.js';
import {
  normalizeEmail,
  removesLastAdmin,
  type StaffInput,
  staffInputProblems,
  type StaffRole,
} from './staff.rules.js';

export type { StaffListing } from './staff.repository.js';
export type StaffActor = AuditEntry['actor'];

/**
 * Staff users of the operations console: created, changed, disabled and unlocked by admins (or
 * the CLI), each change audited; a password reset or a disable ends the user's sessions.
 */
@Injectable()
export class StaffService {
  private readonly logger = new Logger(StaffService.name);

  constructor(
    private readonly staff: StaffRepository,
    private readonly sessions: SessionRepository,
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  anyExists(): Promise<boolean> {
    return this.staff.anyExists();
  }

  /** CONSOLE_BOOTSTRAP_EMAIL/PASSWORD become the first admin when there is no staff user yet. */
  async bootstrap(): Promise<'created' | 'skipped'> {
    const first = this.config.console.bootstrap;
    if (!first || (await this.staff.anyExists())) return 'skipped';
    try {
      const by = { type: 'system' as const, id: 'bootstrap' };
      await this.create(by, { ...first, role: 'admin', name: 'Bootstrap admin' });
    } catch (error) {
      // Another instance starting at the same moment created it.
      if (error instanceof StaffEmailTakenError) return 'skipped';
      throw error;
    }
    this.logger.warn(
      { email: first.email },
      'operations console: bootstrap admin created from CONSOLE_BOOTSTRAP_EMAIL; change its password and remove CONSOLE_BOOTSTRAP_PASSWORD',
    );
    return 'created';
  }

  async create(by: StaffActor, input: StaffInput): Promise<StaffListing> {
    const problems = staffInputProblems(input, false);
    if (problems.length) throw new ValidationFailedError(problems);
    const email = normalizeEmail(input.email as string);
    const passwordHash = await hashPassword(input.password as string);
    const row = await this.prisma.$transaction(async (tx) => {
      const created = await this.staff.insert(tx, {
        id: randomUUID(),
        email,
        name: input.name?.trim() || null,
        role: input.role as StaffRole,
        passwordHash,
        passwordChangedAt: new Date(),
        createdBy: by.id ?? by.type,
      });
      if (!created) throw new StaffEmailTakenError();
      await this.record(tx, by, 'staff.created', created, { role: created.role });
      return created;
    });
    return withoutHash(row);
  }

  /** Name, role and/or a new password; the last active admin cannot be demoted. */
  async update(
    by: StaffActor,
    id: string,
    input: Omit<StaffInput, 'email'>,
  ): Promise<StaffListing> {
    const problems = staffInputProblems(input, true);
    if (problems.length) throw new ValidationFailedError(problems);
    const passwordHash = input.password ? await hashPassword(input.password) : undefined;
    const changes: StaffChanges = {
      ...(input.name !== undefined ? { name: input.name?.trim() || null } : {}),
      ...(input.role !== undefined ? { role: input.role as StaffRole } : {}),
      ...(passwordHash
        ? { passwordHash, passwordChangedAt: new Date(), failedLogins: 0, lockedUntil: null }
        : {}),
    };
    return this.change(by, id, changes, passwordHash ? 'staff.password_reset' : 'staff.updated');
  }

  /** Disabled users cannot sign in and their sessions end at once. */
  disable(by: StaffActor, id: string): Promise<StaffListing> {
    return this.change(by, id, { status: 'disabled' }, 'staff.disabled');
  }

  enable(by: StaffActor, id: string): Promise<StaffListing> {
    return this.change(by, id, { status: 'active' }, 'staff.enabled');
  }

  /** Ends a lockout after failed sign-ins before its time. */
  unlock(by: StaffActor, id: string): Promise<StaffListing> {
    return this.change(by, id, { failedLogins: 0, lockedUntil: null }, 'staff.unlocked');
  }

  /** For the CLI: the staff user of an email. */
  async idOf(email: string): Promise<string> {
    const row = await this.staff.findByEmail(normalizeEmail(email));
    if (!row) throw new StaffNotFoundError();
    return row.id;
  }

  /** Emails of staff users by id (who did what in the audit log). */
  emailsOf(ids: string[]): Promise<Map<string, string>> {
    return this.staff.emailsOf(ids.filter(isUuid));
  }

  listing(query: ListingQuery): Promise<StaffListing[]> {
    return this.staff.listing(query);
  }

  count(filters: ListingFilters): Promise<number> {
    return this.staff.count(filters);
  }

  private async change(
    by: StaffActor,
    id: string,
    changes: StaffChanges,
    action: string,
  ): Promise<StaffListing> {
    if (!isUuid(id)) throw new StaffNotFoundError();
    const row = await this.prisma.$transaction(async (tx) => {
      // Admin rows first, then the target: every transaction locks in the same order.
      const guarded = changes.role !== undefined || changes.status !== undefined;
      const admins = guarded ? await this.staff.countActiveAdmins(tx) : 0;
      const target = await this.staff.lock(tx, id);
      if (!target) throw new StaffNotFoundError();
      if (guarded && removesLastAdmin(target, changes, admins)) throw new LastAdminError();
      const updated = await this.staff.update(tx, id, changes);
      const ended =
        changes.passwordHash || changes.status === 'disabled'
          ? await this.sessions.deleteForStaff(tx, id)
          : 0;
      await this.record(tx, by, action, updated, {
        fields: Object.keys(changes)
          .filter((k) => k !== 'passwordHash')
          .join(','),
        role: updated.role,
        sessionsEnded: ended,
      });
      return updated;
    });
    this.logger.log({ staffId: id, action }, 'staff user changed');
    return withoutHash(row);
  }

  private record(
    tx: Tx,
    by: StaffActor,
    action: string,
    target: StaffRow,
    metadata: Record<string, string | number>,
  ): Promise<void> {
    return this.audit.record(tx, {
      actor: by,
      action,
      target: { type: 'staff_user', id: target.id },
      metadata: { email: target.email, ...metadata },
    });
  }
}

function withoutHash({ passwordHash: _, ...row }: StaffRow): StaffListing {
  return row;
}
