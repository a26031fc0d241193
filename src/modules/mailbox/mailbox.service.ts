import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { AuditService, auditActor } from '../../common/audit/audit.service.js';
import { PrismaService } from '../../common/database/prisma.service.js';
import type { Tx } from '../../common/database/transaction.js';
import { OutboxService } from '../../common/events/outbox.service.js';
import type { TokenSet } from '../../common/microsoft/identity-platform.client.js';
import type { Actor } from '../../common/auth/actor.js';
import { decodeCursor, encodeCursor } from '../../common/http/pagination.js';
import {
  MailboxNeedsReauthError,
  MailboxNotDelegatedError,
  MailboxNotFoundError,
  MailboxTokenUnavailableError,
} from './mailbox.errors.js';
import {
  type ConnectedAccount,
  type InboundSettings,
  type ListedMailbox,
  MailboxRepository,
  type MailboxRow,
} from './mailbox.repository.js';
import { MailboxRefreshService, type RefreshOutcome } from './mailbox-refresh.service.js';
import { MailboxTokenService } from './mailbox-token.service.js';

const FORCED_REFRESH_LEASE_MS = 60_000;

export type { InboundSettings, ListedMailbox, MailboxRow } from './mailbox.repository.js';

export interface DelegatedSignIn {
  tenantId: string;
  msUserId: string;
  email: string;
  displayName: string | null;
  tokens: TokenSet;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Connected mailboxes: connect (upsert by tenant + user), read, disconnect. */
@Injectable()
export class MailboxService {
  private readonly logger = new Logger(MailboxService.name);

  constructor(
    private readonly mailboxes: MailboxRepository,
    private readonly tokens: MailboxTokenService,
    private readonly prisma: PrismaService,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
    private readonly refresher: MailboxRefreshService,
  ) {}

  /**
   * Stores a delegated sign-in: the same account (tid + oid) in the same workspace updates its
   * mailbox and clears needs_reauth; tokens are sealed by the vault; `mailbox.connected` and an
   * audit row commit with it.
   */
  async connectDelegated(
    actor: Actor,
    signIn: DelegatedSignIn,
  ): Promise<{ mailbox: MailboxRow; reconnected: boolean }> {
    const account: ConnectedAccount = {
      workspaceId: actor.workspaceId,
      tenantId: signIn.tenantId,
      msUserId: signIn.msUserId,
      email: signIn.email.toLowerCase(),
      displayName: signIn.displayName,
      connectedByUserId: actor.userId,
      connectionType: 'delegated',
    };
    const result = await this.prisma.$transaction(async (tx) => {
      const before = await this.mailboxes.findByAccount(tx, account);
      const reconnected = before !== null && before.disconnectedAt === null;
      const mailbox = await this.mailboxes.upsertConnected(tx, randomUUID(), account, new Date());
      await this.mailboxes.saveCredential(
        tx,
        mailbox.id,
        this.tokens.seal(mailbox.id, signIn.tokens),
      );
      await this.outbox.record(tx, 'mailbox.connected', {
        mailboxId: mailbox.id,
        workspaceId: actor.workspaceId,
        connectionType: 'delegated',
        reconnected,
      });
      await this.audit.record(tx, {
        workspaceId: actor.workspaceId,
        actor: { type: 'user', id: actor.userId },
        action: reconnected ? 'mailbox.reconnected' : 'mailbox.connected',
        target: { type: 'mailbox', id: mailbox.id },
        metadata: { tenantId: signIn.tenantId, previousStatus: before?.status ?? null },
      });
      return { mailbox, reconnected };
    });
    this.logger.log(
      {
        mailboxId: result.mailbox.id,
        workspaceId: actor.workspaceId,
        reconnected: result.reconnected,
      },
      'mailbox connected',
    );
    return result;
  }

  /** A connected mailbox by id, any workspace (for background work); null when gone. */
  findActive(id: string): Promise<MailboxRow | null> {
    return this.mailboxes.findActiveById(id);
  }

  async get(actor: Actor, id: string): Promise<MailboxRow> {
    const mailbox = await this.mailboxes.findInWorkspace(actor.workspaceId, id);
    if (!mailbox) throw new MailboxNotFoundError();
    return mailbox;
  }

  /** The workspace's connected mailboxes, first connected first; the cursor is opaque. */
  async list(actor: Actor, limit: number, cursor?: string): Promise<Page<ListedMailbox>> {
    const after = cursor === undefined ? undefined : decodeCursor(cursor);
    const rows = await this.mailboxes.listInWorkspace(actor.workspaceId, limit + 1, after);
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > limit ? encodeCursor(last) : null };
  }

  /** Stores a mailbox's inbound AI settings in the caller's transaction (inbound owns the rest). */
  setInbound(tx: Tx, mailboxId: string, settings: InboundSettings): Promise<void> {
    return this.mailboxes.updateInbound(tx, mailboxId, settings);
  }

  /** Deletes credentials and marks the mailbox disconnected; listeners retire the rest. */
  async disconnect(actor: Actor, id: string): Promise<void> {
    const mailbox = await this.get(actor, id);
    await this.prisma.$transaction(async (tx) => {
      await this.mailboxes.markDisconnected(tx, mailbox.id, new Date());
      await this.outbox.record(tx, 'mailbox.disconnected', {
        mailboxId: mailbox.id,
        workspaceId: actor.workspaceId,
      });
      await this.audit.record(tx, {
        workspaceId: actor.workspaceId,
        actor: auditActor(actor),
        action: 'mailbox.disconnected',
        target: { type: 'mailbox', id: mailbox.id },
      });
    });
    this.logger.log(
      { mailboxId: mailbox.id, workspaceId: actor.workspaceId },
      'mailbox disconnected',
    );
  }

  /**
   * Refreshes a delegated mailbox's token now (an operator's "force token refresh"), under the
   * same lease as the refresh job, so it never runs twice at once; audited with its outcome.
   */
  async refreshTokenNow(actor: Actor, id: string): Promise<RefreshOutcome> {
    const mailbox = await this.get(actor, id);
    if (mailbox.connectionType !== 'delegated') throw new MailboxNotDelegatedError();
    const credential = await this.mailboxes.findCredential(mailbox.id);
    if (mailbox.status === 'needs_reauth' || !credential?.refreshToken) {
      throw new MailboxNeedsReauthError();
    }
    if (
      !(await this.mailboxes.claimOne(mailbox.id, FORCED_REFRESH_LEASE_MS, credential.updatedAt))
    ) {
      throw new MailboxTokenUnavailableError(
        credential.lockedUntil ?? new Date(),
        'a refresh is in progress',
      );
    }
    const outcome = await this.refresher.refreshClaimed(mailbox.id);
    await this.prisma.$transaction((tx) =>
      this.audit.record(tx, {
        workspaceId: mailbox.workspaceId,
        actor: auditActor(actor),
        action: 'mailbox.token_refresh_forced',
        target: { type: 'mailbox', id: mailbox.id },
        metadata: { outcome },
      }),
    );
    this.logger.log({ mailboxId: mailbox.id, outcome }, 'token refresh forced');
    return outcome;
  }
}
