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

/** Workspaces come from ScendCore's bearer tokens; they are created on first use. */
@Injectable()
export class WorkspaceService {
  private readonly logger = new Logger(WorkspaceService.name);

  constructor(
    private readonly workspaces: WorkspaceRepository,
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
  ) {}

  /** JIT-creates the workspace and tells whether it may act (not suspended). */
  async ensure(id: string): Promise<WorkspaceState> {
    return this.workspaces.findOrCreate(id);
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
