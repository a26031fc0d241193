import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../common/database/prisma.service.js';
import type { Tx } from '../../common/database/transaction.js';
import { IdentityDirectoryService } from '../identity/identity-directory.service.js';
import {
  type DirectoryAccount,
  OrganizationMailboxService,
  type OrganizationRef,
} from '../mailbox/organization-mailbox.service.js';
import { OrganizationRemovedError } from './admin-consent.errors.js';
import { OrganizationRepository } from './organization.repository.js';
import {
  type DirectoryUser,
  judgeDisabled,
  primaryAddress,
  primaryDomain,
  triageUser,
  type UserPurpose,
} from './organization.rules.js';
import { emptyCounts, type SyncCounts } from './sync-counts.js';
import { TenantDirectoryClient } from './tenant-directory.client.js';

export interface DirectorySyncResult {
  pages: number;
  counts: SyncCounts;
  primaryDomain: string | null;
}

/** What one sync carries from page to page. */
interface SyncState {
  counts: SyncCounts;
  /** Users whose organization mailbox stays (kept, or unreadable: never retired on a guess). */
  kept: Set<string>;
  /** Users whose mailbox an access policy hid at the start of the sync (probed again). */
  denied: Set<string>;
  domains: Map<string, number>;
}

/** A page as read from Graph, ready to be written. */
interface PageReading {
  keep: DirectoryUser[];
  probed: DirectoryUser[];
  purposes: Map<string, UserPurpose>;
}

const TX_TIMEOUT_MS = 60_000;

/**
 * One pass over a tenant's directory: each `/users` page is sorted (mailboxes kept, shared
 * mailboxes told from former employees by `userPurpose` read in `$batch`es, the rest excluded),
 * applied to organization mailboxes and their identities, then mailboxes whose user is gone
 * retire. Graph requests: ⌈users/999⌉ pages plus ⌈disabled accounts/20⌉ batches.
 */
@Injectable()
export class DirectorySyncService {
  constructor(
    private readonly directory: TenantDirectoryClient,
    private readonly mailboxes: OrganizationMailboxService,
    private readonly identities: IdentityDirectoryService,
    private readonly organizations: OrganizationRepository,
    private readonly prisma: PrismaService,
  ) {}

  async run(org: OrganizationRef): Promise<DirectorySyncResult> {
    const state: SyncState = {
      counts: emptyCounts(),
      kept: new Set(),
      denied: new Set(await this.mailboxes.accessDenied(org.organizationId)),
      domains: new Map(),
    };
    // Page k is written while page k + 1 and its mailbox settings are read from Graph.
    let writing: Promise<void> = Promise.resolve();
    const pages = await this.directory.forEachPage(org.tenantId, async (users) => {
      const page = await this.read(org, users, state);
      await writing;
      writing = this.write(org, page, state);
      writing.catch(() => undefined);
    });
    await writing;
    state.counts.retired = await this.locked(org, (tx) =>
      this.mailboxes.retireMissing(tx, org, [...state.kept]),
    );
    return { pages, counts: state.counts, primaryDomain: primaryDomain(state.domains) };
  }

  /** Graph side of a page: disabled accounts' (and hidden mailboxes') purposes, then the sort. */
  private async read(org: OrganizationRef, users: DirectoryUser[], state: SyncState) {
    state.counts.listed += users.length;
    const triage = new Map(users.map((u) => [u.id, triageUser(u)]));
    const probed = users.filter(
      (u) => triage.get(u.id) === 'check_purpose' || state.denied.has(u.id),
    );
    const purposes = probed.length
      ? await this.directory.purposes(
          org.tenantId,
          probed.map((u) => u.id),
        )
      : new Map<string, UserPurpose>();
    const keep = users.filter((u) => this.sort(u, triage.get(u.id), purposes.get(u.id), state));
    return { keep, probed, purposes };
  }

  /** Database side of a page: access marks, mailboxes, then their identities. */
  private async write(org: OrganizationRef, page: PageReading, state: SyncState) {
    const { counts } = state;
    await this.recordAccess(org, page.probed, page.purposes);
    const outcome = await this.locked(org, (tx) =>
      this.mailboxes.upsert(tx, org, page.keep.map(toAccount)),
    );
    counts.excluded.connectedDelegated += outcome.skipped.delegated;
    counts.excluded.disconnectedByUser += outcome.skipped.disconnectedByUser;
    counts.added += outcome.mailboxes.filter((m) => m.created).length;
    counts.mailboxes += outcome.mailboxes.length;
    const byId = new Map(page.keep.map((u) => [u.id, u]));
    const changes = await this.identities.applyDirectory(
      outcome.mailboxes.map((m) => ({
        mailboxId: m.id,
        workspaceId: m.workspaceId,
        profile: byId.get(m.msUserId) ?? {},
        fresh: m.created,
      })),
    );
    counts.identitiesAdded += changes.added;
    counts.identitiesRemoved += changes.removed;
  }

  /** Counts the user and says whether its mailbox belongs to the organization's mailboxes. */
  private sort(
    user: DirectoryUser,
    triage: ReturnType<typeof triageUser> | undefined,
    purpose: UserPurpose | undefined,
    state: SyncState,
  ): boolean {
    const { excluded } = state.counts;
    if (triage === 'guest') excluded.guests += 1;
    else if (triage === 'no_mailbox') excluded.withoutMailbox += 1;
    else if (triage === 'mailbox') return this.keep(user, state);
    else {
      const verdict = judgeDisabled(purpose ?? 'unreadable');
      if (verdict === 'shared') {
        state.counts.sharedMailboxes += 1;
        return this.keep(user, state);
      }
      if (verdict === 'former_person') excluded.disabledAccounts += 1;
      if (verdict === 'room_or_equipment') excluded.roomsAndEquipment += 1;
      if (verdict === 'no_mailbox') excluded.withoutMailbox += 1;
      if (verdict === 'unreadable') {
        excluded.unreadable += 1;
        state.kept.add(user.id);
      }
    }
    return false;
  }

  private keep(user: DirectoryUser, state: SyncState): boolean {
    state.kept.add(user.id);
    const domain = primaryAddress(user).split('@')[1];
    if (domain) state.domains.set(domain, (state.domains.get(domain) ?? 0) + 1);
    return true;
  }

  /** Probed mailboxes: 403 ErrorAccessDenied marks them, any other answer clears the mark. */
  private async recordAccess(
    org: OrganizationRef,
    probed: DirectoryUser[],
    purposes: Map<string, UserPurpose>,
  ): Promise<void> {
    const denied = probed.filter((u) => purposes.get(u.id) === 'access_denied').map((u) => u.id);
    const allowed = probed
      .filter((u) => !['access_denied', 'unreadable'].includes(purposes.get(u.id) ?? 'unreadable'))
      .map((u) => u.id);
    await this.mailboxes.setAccessDenied(org.organizationId, { denied, allowed });
  }

  /** Runs `work` while holding the organization (a removal waits; a removed one is not written). */
  private locked<T>(org: OrganizationRef, work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.prisma.$transaction(
      async (tx) => {
        if (!(await this.organizations.lockConnected(tx, org.organizationId, 'share')))
          throw new OrganizationRemovedError();
        return work(tx);
      },
      { timeout: TX_TIMEOUT_MS },
    );
  }
}

function toAccount(user: DirectoryUser): DirectoryAccount {
  return {
    msUserId: user.id,
    email: primaryAddress(user),
    displayName: user.displayName?.trim() || null,
  };
}
