import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { WorkspaceService } from '../../src/common/auth/workspace.service.js';
import { NotFoundError } from '../../src/common/errors/domain-error.js';
import { EventNotParkedError, OutboxService } from '../../src/common/events/outbox.service.js';
import { LastAdminError, StaffEmailTakenError } from '../../src/modules/console/console.errors.js';
import { SessionService } from '../../src/modules/console/staff/session.service.js';
import { StaffAuthService } from '../../src/modules/console/staff/staff-auth.service.js';
import { StaffService } from '../../src/modules/console/staff/staff.service.js';
import {
  MailboxNeedsReauthError,
  MailboxNotDelegatedError,
} from '../../src/modules/mailbox/mailbox.errors.js';
import { MailboxService } from '../../src/modules/mailbox/mailbox.service.js';
import {
  MessageNotFailedError,
  MessageNotFoundError,
  MessageNotQueuedError,
} from '../../src/modules/outbound/outbound.errors.js';
import { OutboundService } from '../../src/modules/outbound/outbound.service.js';
import { buildMailbox } from '../factories/mailbox.js';
import { queueMessages } from '../factories/outbound.js';
import { buildSenderProfile } from '../factories/sender-profile.js';
import { buildStaff, STAFF_PASSWORD } from '../factories/staff.js';
import { createTestApp, type TestApp } from '../support/app.js';

const CLI = { type: 'system' as const, id: 'cli' };

describe('services behind the operations console (integration, real PostgreSQL)', () => {
  let t: TestApp;
  const staffActor = (workspaceId: string) => ({
    userId: randomUUID(),
    workspaceId,
    kind: 'staff' as const,
  });

  beforeAll(async () => {
    t = await createTestApp({ CONSOLE_LOGIN_MAX_FAILURES: '2', CONSOLE_SESSION_IDLE_MINUTES: '5' });
  });
  afterAll(() => t.close());

  describe('staff', () => {
    it('creates staff users with unique emails and never the last active admin away', async () => {
      const staff = t.app.get(StaffService);
      const admin = await staff.create(CLI, {
        email: 'First.Admin@ScendCore.test',
        role: 'admin',
        password: STAFF_PASSWORD,
      });
      expect(admin).toMatchObject({ email: 'first.admin@scendcore.test', role: 'admin' });
      expect(admin).not.toHaveProperty('passwordHash');
      await expect(
        staff.create(CLI, {
          email: 'first.admin@scendcore.test',
          role: 'viewer',
          password: STAFF_PASSWORD,
        }),
      ).rejects.toBeInstanceOf(StaffEmailTakenError);
      await expect(staff.update(CLI, admin.id, { role: 'operator' })).rejects.toBeInstanceOf(
        LastAdminError,
      );
      await expect(staff.disable(CLI, admin.id)).rejects.toBeInstanceOf(LastAdminError);
    });

    it('lets only one of two admins demoting each other at once succeed', async () => {
      const staff = t.app.get(StaffService);
      await t.db.prisma.staffUser.deleteMany();
      const [a, b] = await Promise.all([
        buildStaff(t.db.prisma, { role: 'admin' }),
        buildStaff(t.db.prisma, { role: 'admin' }),
      ]);
      const results = await Promise.allSettled([
        staff.update({ type: 'staff', id: b.id }, a.id, { role: 'viewer' }),
        staff.update({ type: 'staff', id: a.id }, b.id, { role: 'viewer' }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      expect(
        await t.db.prisma.staffUser.count({ where: { role: 'admin', status: 'active' } }),
      ).toBe(1);
    });

    it('ends a user’s sessions when they are disabled or get a new password', async () => {
      const staff = t.app.get(StaffService);
      const sessions = t.app.get(SessionService);
      const user = await buildStaff(t.db.prisma, { role: 'operator' });
      const first = await sessions.start(user.id);
      await staff.update(CLI, user.id, { password: 'a brand new password' });
      await expect(sessions.resume(first.token)).resolves.toBeNull();
      const second = await sessions.start(user.id);
      await expect(sessions.resume(second.token)).resolves.toMatchObject({
        staff: { id: user.id },
      });
      await staff.disable(CLI, user.id);
      await expect(sessions.resume(second.token)).resolves.toBeNull();
      const audit = await t.db.prisma.auditLog.findMany({
        where: { targetId: user.id },
        orderBy: { at: 'asc' },
      });
      expect(audit.map((a) => [a.action, a.actorId])).toEqual([
        ['staff.password_reset', 'cli'],
        ['staff.disabled', 'cli'],
      ]);
    });

    it('expires idle sessions', async () => {
      const sessions = t.app.get(SessionService);
      const user = await buildStaff(t.db.prisma, { role: 'viewer' });
      const { token, expiresAt } = await sessions.start(user.id);
      expect(expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(5 * 60_000);
      await t.db.prisma.consoleSession.updateMany({
        where: { staffUserId: user.id },
        data: { expiresAt: new Date(Date.now() - 1) },
      });
      await expect(sessions.resume(token)).resolves.toBeNull();
      expect(await sessions.pruneExpired()).toBeGreaterThanOrEqual(1);
    });

    it('locks after the configured failures and unlocks on request', async () => {
      const auth = t.app.get(StaffAuthService);
      const user = await buildStaff(t.db.prisma, { role: 'viewer' });
      await expect(auth.signIn(user.email, 'wrong password!', '10.0.0.1')).resolves.toEqual({
        ok: false,
        reason: 'invalid',
      });
      const locked = await auth.signIn(user.email, 'wrong password!', '10.0.0.1');
      expect(locked).toMatchObject({ ok: false, reason: 'locked' });
      await expect(auth.signIn(user.email, STAFF_PASSWORD, '10.0.0.1')).resolves.toMatchObject({
        reason: 'locked',
      });
      await t.app.get(StaffService).unlock(CLI, user.id);
      await expect(auth.signIn(user.email, STAFF_PASSWORD, '10.0.0.1')).resolves.toMatchObject({
        ok: true,
        staff: { id: user.id, role: 'viewer' },
      });
    });
  });

  describe('actions of other modules', () => {
    it('OutboundService: retry only failed messages, cancel only queued ones, in their workspace', async () => {
      const outbound = t.app.get(OutboundService);
      const profile = await buildSenderProfile(t.db.prisma, { workspaceId: 'ws-int' });
      const [queued, sending] = await queueMessages(t.db.prisma, profile.id, 2, 'int', 'ws-int');
      await t.db.prisma.outboundMessage.update({
        where: { id: sending },
        data: { status: 'sending' },
      });
      const actor = staffActor('ws-int');
      await expect(outbound.retryFailed(actor, queued)).rejects.toBeInstanceOf(
        MessageNotFailedError,
      );
      await expect(outbound.cancelQueued(actor, sending)).rejects.toBeInstanceOf(
        MessageNotQueuedError,
      );
      await expect(outbound.cancelQueued(staffActor('ws-other'), queued)).rejects.toBeInstanceOf(
        MessageNotFoundError,
      );
      await expect(outbound.cancelQueued(actor, queued)).resolves.toMatchObject({
        status: 'cancelled',
      });
      const audit = await t.db.prisma.auditLog.findMany({ where: { targetId: queued } });
      expect(audit).toMatchObject([{ action: 'outbound.message_cancelled', actorType: 'staff' }]);
    });

    it('OutboxService.retryParked: parked events only', async () => {
      const outbox = t.app.get(OutboxService);
      const pending = await t.db.prisma.outboxEvent.create({
        data: { name: 'mailbox.connected', payload: {} },
      });
      await expect(outbox.retryParked(pending.id, CLI)).rejects.toBeInstanceOf(EventNotParkedError);
      await expect(outbox.retryParked(randomUUID(), CLI)).rejects.toBeInstanceOf(NotFoundError);
      await expect(outbox.retryParked('not-a-uuid', CLI)).rejects.toBeInstanceOf(NotFoundError);
      await t.db.prisma.outboxEvent.update({
        where: { id: pending.id },
        data: { status: 'parked', attempts: 10 },
      });
      await outbox.retryParked(pending.id, CLI);
      expect(
        await t.db.prisma.outboxEvent.findUniqueOrThrow({ where: { id: pending.id } }),
      ).toMatchObject({
        status: 'pending',
        attempts: 0,
      });
    });

    it('WorkspaceService: suspends known workspaces once, audited', async () => {
      const workspaces = t.app.get(WorkspaceService);
      await expect(workspaces.suspend('ws-nobody', CLI)).rejects.toBeInstanceOf(NotFoundError);
      await workspaces.ensure('ws-suspend');
      await workspaces.suspend('ws-suspend', CLI);
      await workspaces.suspend('ws-suspend', CLI);
      await expect(workspaces.ensure('ws-suspend')).resolves.toBe('suspended');
      expect(
        await t.db.prisma.auditLog.count({
          where: { action: 'workspace.suspended', targetId: 'ws-suspend' },
        }),
      ).toBe(1);
    });

    it('MailboxService.refreshTokenNow: delegated mailboxes with a live grant only', async () => {
      const mailboxes = t.app.get(MailboxService);
      const org = await buildMailbox(t.db.prisma, {
        workspaceId: 'ws-int',
        connectionType: 'organization',
      });
      await expect(mailboxes.refreshTokenNow(staffActor('ws-int'), org.id)).rejects.toBeInstanceOf(
        MailboxNotDelegatedError,
      );
      const dead = await buildMailbox(t.db.prisma, {
        workspaceId: 'ws-int',
        status: 'needs_reauth',
      });
      await expect(mailboxes.refreshTokenNow(staffActor('ws-int'), dead.id)).rejects.toBeInstanceOf(
        MailboxNeedsReauthError,
      );
    });
  });
});
