import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../common/database/prisma.service.js';
import type { Tx } from '../../common/database/transaction.js';
import { claimDue, WORKER_ID } from '../../common/jobs/claim.js';
import { type Mailbox, type MailboxCredential, Prisma } from '../../generated/prisma/client.js';
import { REFRESH_WINDOW_MS, TOKEN_REFRESH_FAILING } from './mailbox.rules.js';

export type MailboxRow = Mailbox;

/** What a mailbox listing shows of a mailbox (and its keyset position). */
export type ListedMailbox = Pick<
  Mailbox,
  | 'id'
  | 'provider'
  | 'connectionType'
  | 'tenantId'
  | 'email'
  | 'displayName'
  | 'status'
  | 'statusReason'
  | 'statusReasonSince'
  | 'organizationId'
  | 'inboundEnabled'
  | 'inboundPurpose'
  | 'inboundBehavior'
  | 'connectedAt'
  | 'tokenRefreshedAt'
  | 'createdAt'
>;
export type CredentialRow = MailboxCredential;
export type RefreshCandidate = MailboxCredential & { mailbox: Mailbox };

export interface ConnectedAccount {
  workspaceId: string;
  tenantId: string;
  msUserId: string;
  email: string;
  displayName: string | null;
  connectedByUserId: string;
  connectionType: 'delegated' | 'organization';
}

export interface InboundSettings {
  enabled: boolean;
  purpose: Mailbox['inboundPurpose'];
  behavior: Mailbox['inboundBehavior'];
}

export interface SealedTokens {
  refreshToken: string | null;
  accessToken: string;
  accessTokenExpiresAt: Date;
  accessTokenIssuedAt: Date;
  /** The scheduled refresh of this token. */
  nextRefreshAt: Date;
  scopes: string;
}

export interface RefreshedRow {
  mailboxId: string;
  tokens: SealedTokens & { refreshToken: string };
  now: Date;
}

export interface RefreshFailure {
  attempts: number;
  retryAt: Date;
  error: string;
}

const ACTIVE = { disconnectedAt: null };

@Injectable()
export class MailboxRepository {
  constructor(private readonly prisma: PrismaService) {}

  findByAccount(tx: Tx, a: Pick<ConnectedAccount, 'workspaceId' | 'tenantId' | 'msUserId'>) {
    return tx.mailbox.findUnique({
      where: {
        workspaceId_tenantId_msUserId: {
          workspaceId: a.workspaceId,
          tenantId: a.tenantId,
          msUserId: a.msUserId,
        },
      },
    });
  }

  /**
   * Inserts the mailbox, or brings an existing row of the same account back to a fresh state. A
   * delegated connect of an organization mailbox makes it delegated (it leaves the organization).
   */
  async upsertConnected(
    tx: Tx,
    id: string,
    account: ConnectedAccount,
    now: Date,
  ): Promise<MailboxRow> {
    const fresh = {
      email: account.email,
      displayName: account.displayName,
      connectionType: account.connectionType,
      connectedByUserId: account.connectedByUserId,
      organizationId: null,
      status: 'active' as const,
      statusReason: null,
      statusReasonSince: null,
      connectedAt: now,
      disconnectedAt: null,
    };
    const existing = await this.findByAccount(tx, account);
    if (!existing) return tx.mailbox.create({ data: { id, ...account, ...fresh } });
    const restart = existing.disconnectedAt
      ? {
          inboundEnabled: false,
          inboundPurpose: 'general' as const,
          inboundBehavior: 'triage_only' as const,
        }
      : {};
    return tx.mailbox.update({ where: { id: existing.id }, data: { ...fresh, ...restart } });
  }

  async saveCredential(tx: Tx, mailboxId: string, tokens: SealedTokens): Promise<void> {
    const data = {
      ...tokens,
      refreshAttempts: 0,
      lastRefreshError: null,
      lockedUntil: null,
      lockedBy: null,
    };
    await tx.mailboxCredential.upsert({
      where: { mailboxId },
      create: { mailboxId, ...data },
      update: data,
    });
  }

  findInWorkspace(workspaceId: string, id: string): Promise<MailboxRow | null> {
    return this.prisma.mailbox.findFirst({ where: { id, workspaceId, ...ACTIVE } });
  }

  findActiveById(id: string): Promise<MailboxRow | null> {
    return this.prisma.mailbox.findFirst({ where: { id, ...ACTIVE } });
  }

  /**
   * Connected mailboxes in the order they were first connected (creation time, then id), after
   * the keyset position: one plain statement with the listed columns only.
   */
  listInWorkspace(
    workspaceId: string,
    limit: number,
    after?: { createdAt: Date; id: string },
  ): Promise<ListedMailbox[]> {
    const keyset = after
      ? Prisma.sql`AND (created_at, id) > (${after.createdAt}::timestamptz, ${after.id})`
      : Prisma.empty;
    return this.prisma.$queryRaw<ListedMailbox[]>`
      SELECT id, provider, connection_type::text AS "connectionType", tenant_id AS "tenantId",
             email, display_name AS "displayName", status::text AS status,
             status_reason AS "statusReason", status_reason_since AS "statusReasonSince",
             organization_id AS "organizationId", inbound_enabled AS "inboundEnabled",
             inbound_purpose::text AS "inboundPurpose", inbound_behavior::text AS "inboundBehavior",
             connected_at AS "connectedAt", token_refreshed_at AS "tokenRefreshedAt",
             created_at AS "createdAt"
        FROM mailbox
       WHERE workspace_id = ${workspaceId} AND disconnected_at IS NULL ${keyset}
       ORDER BY created_at, id
       LIMIT ${limit}::int`;
  }

  /** Inbound AI settings (the inbound module starts and stops delivery in the same transaction). */
  async updateInbound(tx: Tx, id: string, settings: InboundSettings): Promise<void> {
    await tx.mailbox.update({
      where: { id },
      data: {
        inboundEnabled: settings.enabled,
        inboundPurpose: settings.purpose,
        inboundBehavior: settings.behavior,
      },
    });
  }

  async markDisconnected(tx: Tx, id: string, now: Date): Promise<void> {
    await tx.mailbox.update({ where: { id }, data: { disconnectedAt: now } });
    await tx.mailboxCredential.deleteMany({ where: { mailboxId: id } });
  }

  /**
   * The credential of a connected mailbox that does not need re-authentication, in one
   * statement (the relation filter is a subquery): every Graph call of a delegated mailbox
   * reads it.
   */
  findUsableCredential(mailboxId: string): Promise<CredentialRow | null> {
    return this.prisma.mailboxCredential.findFirst({
      where: { mailboxId, mailbox: { ...ACTIVE, status: { not: 'needs_reauth' } } },
    });
  }

  /** findUsableCredential for many mailboxes in one statement (a sweep's batch). */
  findUsableCredentials(mailboxIds: string[]): Promise<CredentialRow[]> {
    return this.prisma.mailboxCredential.findMany({
      where: {
        mailboxId: { in: mailboxIds },
        mailbox: { ...ACTIVE, status: { not: 'needs_reauth' } },
      },
    });
  }

  findCredential(mailboxId: string): Promise<CredentialRow | null> {
    return this.prisma.mailboxCredential.findUnique({ where: { mailboxId } });
  }

  /**
   * Leases credentials whose refresh was due at `asOf` (the sweep's start, so a sweep takes each
   * credential at most once): the scheduled or retry time has come; legacy rows without one
   * expire within the window; or, outside a failure backoff, the token expires before its
   * scheduled refresh.
   */
  claimDueForRefresh(asOf: Date, limit: number, leaseMs: number): Promise<string[]> {
    return claimDue(this.prisma, {
      table: 'mailbox_credential',
      idColumn: 'mailbox_id',
      due: Prisma.sql`refresh_token IS NOT NULL
        AND (next_refresh_at <= ${asOf}
          OR (next_refresh_at IS NULL
            AND access_token_expires_at < ${new Date(asOf.getTime() + REFRESH_WINDOW_MS)})
          OR (refresh_attempts = 0 AND access_token_expires_at < next_refresh_at))
        AND mailbox_id IN (SELECT id FROM mailbox WHERE status = 'active' AND disconnected_at IS NULL AND connection_type = 'delegated')`,
      order: Prisma.sql`COALESCE(next_refresh_at, access_token_expires_at)`,
      limit,
      leaseMs,
      owner: WORKER_ID,
    });
  }

  /**
   * Leases one credential for an on-demand refresh, only if it is unchanged since the caller
   * read it (`seen` = its updated_at): false when another worker holds it or has just
   * refreshed it, so the caller reads again instead of refreshing twice.
   */
  async claimOne(mailboxId: string, leaseMs: number, seen: Date): Promise<boolean> {
    const claimed = await this.prisma.$executeRaw`
      UPDATE mailbox_credential
         SET locked_until = now() + make_interval(secs => ${leaseMs / 1000}::double precision), locked_by = ${WORKER_ID}
       WHERE mailbox_id = ${mailboxId} AND updated_at = ${seen}
         AND (locked_until IS NULL OR locked_until < now())`;
    return claimed === 1;
  }

  /** Credential and mailbox of leased rows, in one query (the refresh hot path). */
  findRefreshCandidates(mailboxIds: string[]): Promise<RefreshCandidate[]> {
    return this.prisma.mailboxCredential.findMany({
      where: { mailboxId: { in: mailboxIds } },
      include: { mailbox: true },
    });
  }

  /**
   * Stores refreshed tokens with their scheduled refresh, releases the leases and clears a
   * token_refresh_failing reason, for any number of mailboxes in one statement (the refresh
   * sweep's bookkeeping, group-committed).
   */
  async recordRefreshedMany(rows: RefreshedRow[]): Promise<void> {
    if (rows.length === 0) return;
    const iso = (d: Date) => d.toISOString();
    const column = <K extends keyof SealedTokens>(key: K) => rows.map((r) => r.tokens[key]);
    await this.prisma.$executeRaw`
      WITH input AS (
        SELECT * FROM unnest(${rows.map((r) => r.mailboxId)}::text[],
                             ${column('accessToken')}::text[],
                             ${column('refreshToken')}::text[],
                             ${column('accessTokenExpiresAt').map(iso)}::timestamptz[],
                             ${column('accessTokenIssuedAt').map(iso)}::timestamptz[],
                             ${column('scopes')}::text[],
                             ${column('nextRefreshAt').map(iso)}::timestamptz[],
                             ${rows.map((r) => iso(r.now))}::timestamptz[])
          AS x(mailbox_id, access_token, refresh_token, expires_at, issued_at, scopes,
               next_refresh_at, refreshed_at)),
      credential AS (
        UPDATE mailbox_credential AS c
           SET access_token = i.access_token, refresh_token = i.refresh_token,
               access_token_expires_at = i.expires_at, access_token_issued_at = i.issued_at,
               scopes = i.scopes, refresh_attempts = 0, next_refresh_at = i.next_refresh_at,
               last_refresh_error = NULL, locked_until = NULL, locked_by = NULL, updated_at = now()
          FROM input AS i
         WHERE c.mailbox_id = i.mailbox_id
        RETURNING c.mailbox_id)
      UPDATE mailbox AS m
         SET token_refreshed_at = i.refreshed_at, updated_at = now(),
             status_reason = CASE WHEN m.status_reason = ${TOKEN_REFRESH_FAILING} THEN NULL ELSE m.status_reason END,
             status_reason_since = CASE WHEN m.status_reason = ${TOKEN_REFRESH_FAILING} THEN NULL ELSE m.status_reason_since END
        FROM input AS i
       WHERE m.id = i.mailbox_id AND m.id IN (SELECT mailbox_id FROM credential)`;
  }

  /**
   * Records a failed refresh (retry time, lease released) and shows token_refresh_failing on
   * the active mailbox, keeping the time it was first shown.
   */
  async recordRefreshFailure(mailboxId: string, failure: RefreshFailure, now: Date): Promise<void> {
    await this.prisma.$executeRaw`
      WITH credential AS (
        UPDATE mailbox_credential
           SET refresh_attempts = ${failure.attempts}, next_refresh_at = ${failure.retryAt},
               last_refresh_error = ${failure.error}, locked_until = NULL, locked_by = NULL,
               updated_at = now()
         WHERE mailbox_id = ${mailboxId}
        RETURNING mailbox_id)
      UPDATE mailbox
         SET status_reason = ${TOKEN_REFRESH_FAILING}, updated_at = now(),
             status_reason_since = CASE WHEN status_reason = ${TOKEN_REFRESH_FAILING}
                                        THEN status_reason_since ELSE ${now}::timestamptz END
       WHERE id IN (SELECT mailbox_id FROM credential) AND status = 'active'
         AND (status_reason IS NULL OR status_reason = ${TOKEN_REFRESH_FAILING})`;
  }

  /** The grant is dead: forget the tokens and flag the mailbox (in the caller's transaction). */
  async markNeedsReauth(tx: Tx, mailboxId: string, reason: string, now: Date): Promise<MailboxRow> {
    await tx.mailboxCredential.updateMany({
      where: { mailboxId },
      data: {
        refreshToken: null,
        accessToken: null,
        accessTokenExpiresAt: null,
        accessTokenIssuedAt: null,
        nextRefreshAt: null,
        lastRefreshError: reason,
        lockedUntil: null,
        lockedBy: null,
      },
    });
    return tx.mailbox.update({
      where: { id: mailboxId },
      data: { status: 'needs_reauth', statusReason: reason, statusReasonSince: now },
    });
  }

  async releaseClaim(mailboxId: string): Promise<void> {
    await this.prisma.mailboxCredential.updateMany({
      where: { mailboxId },
      data: { lockedUntil: null, lockedBy: null },
    });
  }
}
