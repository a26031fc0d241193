import {
  MAX_STAFF_PASSWORD_LENGTH,
  MIN_STAFF_PASSWORD_LENGTH,
} from '../../../common/config/console-settings.js';
import type { ErrorDetail } from '../../../common/errors/domain-error.js';

export const STAFF_ROLES = ['viewer', 'operator', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** What a role may do: viewers see, operators also act, admins also manage staff. */
export type Permission = 'view' | 'act' | 'manage_staff';

const GRANTS: Record<StaffRole, readonly Permission[]> = {
  viewer: ['view'],
  operator: ['view', 'act'],
  admin: ['view', 'act', 'manage_staff'],
};

export function can(role: string | undefined, permission: Permission): boolean {
  return (STAFF_ROLES as readonly string[]).includes(role ?? '')
    ? GRANTS[role as StaffRole].includes(permission)
    : false;
}

export interface LockoutPolicy {
  maxFailures: number;
  lockoutMs: number;
}

export interface LoginState {
  failedLogins: number;
  lockedUntil: Date | null;
}

export function isLocked(state: Pick<LoginState, 'lockedUntil'>, now: Date): boolean {
  return state.lockedUntil !== null && state.lockedUntil > now;
}

/**
 * After a wrong password: one more failure, counted from zero again once an earlier lockout
 * has ended; reaching the limit locks the account for the lockout period.
 */
export function afterFailedLogin(
  state: LoginState,
  now: Date,
  policy: LockoutPolicy,
): LoginState & { lockedNow: boolean } {
  const lockEnded = state.lockedUntil !== null && state.lockedUntil <= now;
  const failedLogins = (lockEnded ? 0 : state.failedLogins) + 1;
  if (failedLogins >= policy.maxFailures) {
    return {
      failedLogins: 0,
      lockedUntil: new Date(now.getTime() + policy.lockoutMs),
      lockedNow: true,
    };
  }
  return { failedLogins, lockedUntil: lockEnded ? null : state.lockedUntil, lockedNow: false };
}

const EMAIL = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/;

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export interface StaffInput {
  email?: string;
  name?: string | null;
  role?: string;
  password?: string;
}

/** Problems of a new staff user or of changes to one (`partial`: absent fields are kept). */
export function staffInputProblems(input: StaffInput, partial: boolean): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  if (!partial || input.email !== undefined) {
    const email = normalizeEmail(input.email ?? '');
    if (!EMAIL.test(email) || email.length > 254)
      problems.push({ field: 'email', message: 'must be an email address' });
  }
  if (!partial || input.role !== undefined) {
    if (!(STAFF_ROLES as readonly string[]).includes(input.role ?? ''))
      problems.push({ field: 'role', message: `must be one of ${STAFF_ROLES.join(', ')}` });
  }
  if (!partial || input.password !== undefined) {
    const password = input.password ?? '';
    if (password.length < MIN_STAFF_PASSWORD_LENGTH || password.length > MAX_STAFF_PASSWORD_LENGTH)
      problems.push({
        field: 'password',
        message: `must be ${MIN_STAFF_PASSWORD_LENGTH} to ${MAX_STAFF_PASSWORD_LENGTH} characters`,
      });
  }
  if ((input.name ?? '').length > 200)
    problems.push({ field: 'name', message: 'must be at most 200 characters' });
  return problems;
}

/**
 * Whether a change would leave no active admin (the console would have nobody to manage staff):
 * the target is an active admin, the change removes that, and no other active admin exists.
 */
export function removesLastAdmin(
  target: { role: StaffRole; status: 'active' | 'disabled' },
  change: { role?: StaffRole; status?: 'active' | 'disabled' },
  activeAdmins: number,
): boolean {
  const isActiveAdmin = target.role === 'admin' && target.status === 'active';
  const staysActiveAdmin =
    (change.role ?? target.role) === 'admin' && (change.status ?? target.status) === 'active';
  return isActiveAdmin && !staysActiveAdmin && activeAdmins <= 1;
}
