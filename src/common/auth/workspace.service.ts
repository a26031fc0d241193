import { Injectable } from '@nestjs/common';
import { WorkspaceRepository, type WorkspaceState } from './workspace.repository.js';

/** Workspaces come from ScendCore's bearer tokens; they are created on first use. */
@Injectable()
export class WorkspaceService {
  constructor(private readonly workspaces: WorkspaceRepository) {}

  /** JIT-creates the workspace and tells whether it may act (not suspended). */
  async ensure(id: string): Promise<WorkspaceState> {
    return this.workspaces.findOrCreate(id);
  }

  async suspend(id: string): Promise<void> {
    await this.workspaces.setStatus(id, 'suspended');
  }

  async reactivate(id: string): Promise<void> {
    await this.workspaces.setStatus(id, 'active');
  }
}
