import { Injectable, Logger } from '@nestjs/common';
import { type AuditEntry, AuditService } from '../audit/audit.service.js';
import type { ListingFilters, ListingQuery } from '../database/listing.js';
import { PrismaService } from '../database/prisma.service.js';
import { NotFoundError } from '../errors/domain-error.js';
import {
  type WorkspaceListing,
  WorkspaceRepository,
  type WorkspaceState,
} from './workspace.repository.js';

export type { WorkspaceListing, WorkspaceState } from './workspace.repository.js';

/**
 * How long an instance trusts a workspace status it read: a suspension made through another
 * instance (or straight in the database) refuses API calls here within this bound; on the
 * instance that suspended it, at once.
 */
export const WORKSPACE_STATUS_TTL_MS = 2_000;
const CACHE_MAX_ENTRIES = 10_000;

/** Workspaces come from ScendCore's bearer tokens; they are created on first use. */
@Injectable()
export class WorkspaceService {
  private readonly logger = new Logger(WorkspaceService.name);
  /** Status reads in flight or recent, per workspace (concurrent requests share one read). */
  private readonly statuses = new Map<string, { state: Promise<WorkspaceState>; until: number }>();
  /** Bumped by every status change here: a read that started before it is not cached. */
  private epoch = 0;

  constructor(
    private readonly workspaces: WorkspaceRepository,
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
  ) {}

  /**
   * JIT-creates the workspace and tells whether it may act (not suspended). Answers from a
   * short in-process cache (WORKSPACE_STATUS_TTL_MS) so the auth guard costs no statement on
   * most requests; a status change through this instance clears it at once.
   */
  ensure(id: string): Promise<WorkspaceState> {
    const now = Date.now();
    const cached = this.statuses.get(id);
    if (cached && cached.until > now) return cached.state;
    const epoch = this.epoch;
    const state = this.workspaces.findOrCreate(id);
    if (this.statuses.size >= CACHE_MAX_ENTRIES) this.statuses.clear();
    const entry = { state, until: now + WORKSPACE_STATUS_TTL_MS };
    this.statuses.set(id, entry);
    state.then(
      () => {
        // A status change raced this read: do not keep what it read.
        if (this.epoch !== epoch && this.statuses.get(id) === entry) this.statuses.delete(id);
      },
      () => {
        if (this.statuses.get(id) === entry) this.statuses.delete(id);
      },
    );
    return state;
  }

  /** Its API calls are refused with 403 workspace_inactive from now on (audited). */
  suspend(id: string, by: AuditEntry['actor']): Promise<void> {
    return this.changeStatus(id, 'suspended', by);
  }

  reactivate(id: string, by: AuditEntry['actor']): Promise<void> {
    return this.changeStatus(id, 'active', by);
  }

  listing(query: ListingQuery): Promise<WorkspaceListing[]> {
    return this.workspaces.listing(query);
  }

  count(filters: ListingFilters): Promise<number> {
    return this.workspaces.count(filters);
  }

  private async changeStatus(
    id: string,
    status: WorkspaceState,
    by: AuditEntry['actor'],
  ): Promise<void> {
    try {
      await this.writeStatus(id, status, by);
    } finally {
      this.epoch += 1;
      this.statuses.delete(id);
    }
  }

  private async writeStatus(
    id: string,
    status: WorkspaceState,
    by: AuditEntry['actor'],
  ): Promise<void> {
    const before = await this.prisma.$transaction(async (tx) => {
      const previous = await this.workspaces.updateStatus(tx, id, status);
      if (previous === null) throw new NotFoundError('workspace');
      if (previous === status) return previous;
      await this.audit.record(tx, {
        workspaceId: id,
        actor: by,
        action: status === 'suspended' ? 'workspace.suspended' : 'workspace.reactivated',
        target: { type: 'workspace', id },
        metadata: { previousStatus: previous },
      });
      return previous;
    });
    if (before !== status) this.logger.log({ workspaceId: id, status }, 'workspace status changed');
  }
}
