import { describe, expect, it } from '@jest/globals';
import {
  afterFailedLogin,
  can,
  isLocked,
  removesLastAdmin,
  staffInputProblems,
} from './staff.rules.js';

const policy = { maxFailures: 3, lockoutMs: 15 * 60_000 };
const now = new Date('2026-06-01T12:00:00Z');
const minutes = (m: number) => new Date(now.getTime() + m * 60_000);

describe('roles', () => {
  it('viewers see, operators act, admins also manage staff', () => {
    expect([can('viewer', 'view'), can('viewer', 'act'), can('viewer', 'manage_staff')]).toEqual([
      true,
      false,
      false,
    ]);
    expect([can('operator', 'act'), can('operator', 'manage_staff')]).toEqual([true, false]);
    expect([can('admin', 'act'), can('admin', 'manage_staff')]).toEqual([true, true]);
    expect([can(undefined, 'view'), can('root', 'view'), can('toString', 'view')]).toEqual([
      false,
      false,
      false,
    ]);
  });
});

describe('lockout', () => {
  it('counts wrong passwords and locks at the limit', () => {
    const first = afterFailedLogin({ failedLogins: 0, lockedUntil: null }, now, policy);
    expect(first).toEqual({ failedLogins: 1, lockedUntil: null, lockedNow: false });
    const third = afterFailedLogin({ failedLogins: 2, lockedUntil: null }, now, policy);
    expect(third).toEqual({ failedLogins: 0, lockedUntil: minutes(15), lockedNow: true });
    expect(isLocked(third, minutes(14))).toBe(true);
    expect(isLocked(third, minutes(15))).toBe(false);
  });

  it('starts counting again once a lockout has ended', () => {
    const after = afterFailedLogin({ failedLogins: 0, lockedUntil: minutes(-1) }, now, policy);
    expect(after).toEqual({ failedLogins: 1, lockedUntil: null, lockedNow: false });
  });
});

describe('staff input', () => {
  it('needs an email, a known role and a 12-character password', () => {
    expect(staffInputProblems({}, false).map((p) => p.field)).toEqual([
      'email',
      'role',
      'password',
    ]);
    expect(
      staffInputProblems({ email: 'A@B.co', role: 'operator', password: 'x'.repeat(12) }, false),
    ).toEqual([]);
    expect(staffInputProblems({ password: 'short' }, true).map((p) => p.field)).toEqual([
      'password',
    ]);
    expect(staffInputProblems({ name: 'Ann' }, true)).toEqual([]);
  });
});

describe('the last active admin', () => {
  const admin = { role: 'admin' as const, status: 'active' as const };

  it('cannot be demoted or disabled, unless another active admin remains', () => {
    expect(removesLastAdmin(admin, { role: 'operator' }, 1)).toBe(true);
    expect(removesLastAdmin(admin, { status: 'disabled' }, 1)).toBe(true);
    expect(removesLastAdmin(admin, { role: 'operator' }, 2)).toBe(false);
    expect(removesLastAdmin(admin, { role: 'admin' }, 1)).toBe(false);
    expect(removesLastAdmin({ role: 'viewer', status: 'active' }, { status: 'disabled' }, 1)).toBe(
      false,
    );
  });
});
