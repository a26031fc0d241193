import { Injectable, Logger } from '@nestjs/common';
import type { Tx } from '../../common/database/transaction.js';
import { PrismaService } from '../../common/database/prisma.service.js';
import { OutboxService } from '../../common/events/outbox.service.js';
import {
  type OrganizationMailboxCounts,
  OrganizationMailboxRepository,
  type OrganizationRef,
} from './organization-mailbox.repository.js';
import {
  type DirectoryAccount,
  LEFT_ORGANIZATION,
  ORGANIZATION_REMOVED,
  type OrganizationMailboxAction,
  planOrganizationMailbox,
} from './organization-mailbox.rules.js';

export type {
  OrganizationMailboxCounts,
  OrganizationRef,
} from './organization-mailbox.repository.js';
export type { DirectoryAccount } from './organization-mailbox.rules.js';

/** An organization mailbox after a sync applied a directory page to it. */
const REPORT_EVERY_MS = 60_000;

export interface SyncedMailbox {
  id: string;
  msUserId: string;
  workspaceId: string;
  /** Created by this sync (its identities are new as well). */
  created: boolean;
}

export interface UpsertOutcome {
  mailboxes: SyncedMailbox[];
  /** Accounts left alone: connected delegated in the workspace, or disconnected by a person. */
  skipped: { delegated: number; disconnectedByUser: number };
}

/**
 * Organization mailboxes (admin consent): no credentials, reached app-only. Created, updated and
 * retired in bulk from directory listings; suspended and resumed with the organization's consent.
 */
@Injectable()
export class OrganizationMailboxService {
  private readonly logger = new Logger(OrganizationMailboxService.name);
  /** When this process last announced a lost consent per organization (a throttle only). */
  private readonly reported = new Map<string, number>();

  constructor(
    private readonly mailboxes: OrganizationMailboxRepository,
    private readonly prisma: PrismaService,
    private readonly outbox: OutboxService,
  ) {}

  /**
   * Applies one page of directory accounts (up to a Graph page) in the caller's transaction:
   * new accounts become organization mailboxes, known ones follow renames, retired ones return.
   */
  async upsert(tx: Tx, org: OrganizationRef, accounts: DirectoryAccount[]): Promise<UpsertOutcome> {
    const now = new Date();
    const ids = accounts.map((a) => a.msUserId);
    const byUser = new Map(
      (await this.mailboxes.findAccounts(tx, org, ids)).map((m) => [m.msUserId, m]),
    );
    const outcome: UpsertOutcome = {
      mailboxes: [],
      skipped: { delegated: 0, disconnectedByUser: 0 },
    };
    const fresh: DirectoryAccount[] = [];
    for (const account of accounts) {
      const existing = byUser.get(account.msUserId);
      const action = planOrganizationMailbox(existing, account);
      if (action === 'create') fresh.push(account);
      else if (action === 'skip_delegated') outcome.skipped.delegated += 1;
      else if (action === 'skip_disconnected_by_user') outcome.skipped.disconnectedByUser += 1;
      else if (existing) {
        await this.follow(tx, action, existing.id, org, account, now);
        outcome.mailboxes.push({ ...ref(org, existing), created: false });
      }
    }
    const created = await this.mailboxes.create(tx, org, fresh, now);
    outcome.mailboxes.push(...created.map((m) => ({ ...ref(org, m), created: true })));
    return outcome;
  }

  /**
   * Retires the organization's connected mailboxes whose user is not in `keep` (left the
   * directory, disabled, lost the mailbox): `mailbox.disconnected` for each, so identities are
   * retired and unassigned and orphaned queues cancelled, as for a disconnect.
   */
  async retireMissing(tx: Tx, org: OrganizationRef, keep: string[]): Promise<number> {
    const ids = await this.mailboxes.findNotIn(tx, org.organizationId, keep);
    await this.retire(tx, org, ids, LEFT_ORGANIZATION);
    return ids.length;
  }

  /** The workspace removed the organization: every mailbox of it retires (in `tx`). */
  async retireAll(tx: Tx, org: OrganizationRef): Promise<number> {
    const ids = await this.mailboxes.findNotIn(tx, org.organizationId, []);
    await this.retire(tx, org, ids, ORGANIZATION_REMOVED);
    return ids.length;
  }

  /** Consent is gone: the organization's mailboxes stop sending with that reason (in `tx`). */
  suspend(tx: Tx, organizationId: string): Promise<number> {
    return this.mailboxes.suspend(tx, organizationId, new Date());
  }

  /** Consent is back: mailboxes suspended for it become active (in `tx`). */
  resume(tx: Tx, organizationId: string): Promise<number> {
    return this.mailboxes.resume(tx, organizationId);
  }

  /** Microsoft user ids of mailboxes an Exchange application access policy hides from the app. */
  async accessDenied(organizationId: string): Promise<string[]> {
    return (await this.mailboxes.accessDenied(organizationId)).map((m) => m.msUserId);
  }

  /**
   * The app was refused (403 ErrorAccessDenied) on these users' mailboxes, or reached them
   * again: their organization mailboxes get the access reason, or lose it.
   */
  async setAccessDenied(
    organizationId: string,
    users: { denied: string[]; allowed: string[] },
  ): Promise<void> {
    const denied = await this.mailboxes.markAccessDenied(organizationId, users.denied, new Date());
    const allowed = await this.mailboxes.clearAccessDenied(organizationId, users.allowed);
    if (denied || allowed)
      this.logger.log({ organizationId, denied, allowed }, 'application access changed');
  }

  /**
   * Microsoft refused the app on this mailbox while it was used. `access_denied` marks the
   * mailbox; both announce `mailbox.app-access-refused` (the organization then syncs to confirm a
   * lost consent), at most once a minute per organization and reason in this process.
   */
  async reportRefused(mailboxId: string, reason: 'consent_missing' | 'access_denied') {
    const now = new Date();
    await this.prisma.$transaction(async (tx) => {
      const owner = await this.mailboxes.organizationOf(tx, mailboxId);
      if (!owner || this.recentlyReported(owner.organizationId, reason, now)) return;
      if (
        reason === 'access_denied' &&
        !(await this.mailboxes.markAccessDeniedById(tx, mailboxId, now))
      )
        return;
      await this.outbox.record(tx, 'mailbox.app-access-refused', { mailboxId, ...owner, reason });
    });
    this.logger.warn({ mailboxId, reason }, 'Microsoft refused app-only access to the mailbox');
  }

  counts(organizationIds: string[]): Promise<Map<string, OrganizationMailboxCounts>> {
    return this.mailboxes.counts(organizationIds);
  }

  private recentlyReported(organizationId: string, reason: string, now: Date): boolean {
    if (reason === 'access_denied') return false;
    const last = this.reported.get(organizationId) ?? 0;
    if (now.getTime() - last < REPORT_EVERY_MS) return true;
    this.reported.set(organizationId, now.getTime());
    return false;
  }

  private async follow(
    tx: Tx,
    action: OrganizationMailboxAction,
    id: string,
    org: OrganizationRef,
    account: DirectoryAccount,
    now: Date,
  ): Promise<void> {
    if (action === 'update') await this.mailboxes.updateDirectoryFields(tx, id, account);
    if (action === 'adopt') await this.mailboxes.adopt(tx, id, org, account, now);
  }

  private async retire(tx: Tx, org: OrganizationRef, ids: string[], reason: string) {
    await this.mailboxes.retire(tx, ids, reason, new Date());
    await this.outbox.recordMany(
      tx,
      'mailbox.disconnected',
      ids.map((mailboxId) => ({ mailboxId, workspaceId: org.workspaceId })),
    );
  }
}

function ref(org: OrganizationRef, mailbox: { id: string; msUserId: string }) {
  return { id: mailbox.id, msUserId: mailbox.msUserId, workspaceId: org.workspaceId };
}
