import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuditService } from '../../../common/audit/audit.service.js';
import { AppConfig } from '../../../common/config/app-config.js';
import { PrismaService } from '../../../common/database/prisma.service.js';
import { SessionRepository } from './session.repository.js';
import type { StaffPrincipal } from './staff-auth.service.js';

const TOUCH_EVERY_MS = 60_000;
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export interface ResumedSession {
  staff: StaffPrincipal;
  /** SHA-256 of the token: what the database knows the session by. */
  id: string;
}

/**
 * Console sessions in PostgreSQL, so any instance serves any request and a restart signs nobody
 * out. The cookie carries 32 random bytes; the database keeps only their SHA-256. A session ends
 * after CONSOLE_SESSION_IDLE_MINUTES without requests or CONSOLE_SESSION_MAX_HOURS in all.
 */
@Injectable()
export class SessionService {
  constructor(
    private readonly sessions: SessionRepository,
    private readonly config: AppConfig,
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
  ) {}

  async start(staffUserId: string): Promise<{ token: string; expiresAt: Date }> {
    const token = randomBytes(32).toString('base64url');
    const now = new Date();
    const expiresAt = this.expiry(now, now);
    await this.sessions.insert({
      id: sessionId(token),
      staffUserId,
      createdAt: now,
      lastSeenAt: now,
      expiresAt,
    });
    return { token, expiresAt };
  }

  /** The live session of a cookie token with its (active) staff user, or null. */
  async resume(token: string | undefined): Promise<ResumedSession | null> {
    if (!token || !TOKEN.test(token)) return null;
    const id = sessionId(token);
    const now = new Date();
    const session = await this.sessions.findLive(id, now);
    if (!session) return null;
    const staff = session.staffUser;
    if (staff.status !== 'active') {
      await this.sessions.delete(id);
      return null;
    }
    if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
      await this.sessions.touch(id, now, this.expiry(session.createdAt, now));
    }
    return { id, staff: { id: staff.id, email: staff.email, name: staff.name, role: staff.role } };
  }

  /** Signs out: the session is deleted (on every instance at once) and the sign-out audited. */
  async end(token: string | undefined, staffUserId: string): Promise<void> {
    if (!token || !TOKEN.test(token)) return;
    await this.prisma.$transaction(async (tx) => {
      if ((await this.sessions.delete(sessionId(token), tx)) === 0) return;
      await this.audit.record(tx, {
        actor: { type: 'staff', id: staffUserId },
        action: 'staff.signed_out',
        target: { type: 'staff_user', id: staffUserId },
      });
    });
  }

  pruneExpired(): Promise<number> {
    return this.sessions.deleteExpired(new Date());
  }

  private expiry(createdAt: Date, now: Date): Date {
    const { sessionIdleMs, sessionMaxMs } = this.config.console;
    return new Date(Math.min(now.getTime() + sessionIdleMs, createdAt.getTime() + sessionMaxMs));
  }
}

export function sessionId(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
