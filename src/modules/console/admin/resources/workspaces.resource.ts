import { Injectable } from '@nestjs/common';
import { WorkspaceService } from '../../../../common/auth/workspace.service.js';
import { staffAuditActor, text } from '../actors.js';
import type { ResourceDef } from '../definitions.js';

@Injectable()
export class WorkspacesResource {
  constructor(private readonly workspaces: WorkspaceService) {}

  definition(): ResourceDef {
    return {
      id: 'workspaces',
      label: 'Workspaces',
      group: 'Customers',
      titleField: 'id',
      permission: 'view',
      sort: { field: 'createdAt', direction: 'desc' },
      source: this.workspaces,
      fields: [
        { path: 'id', type: 'id', list: true, filter: true },
        {
          path: 'status',
          type: 'string',
          values: ['active', 'suspended'],
          list: true,
          filter: true,
        },
        { path: 'createdAt', type: 'datetime', list: true, filter: true },
        { path: 'updatedAt', type: 'datetime' },
      ],
      actions: [
        {
          name: 'suspend',
          label: 'Suspend',
          permission: 'act',
          confirm: 'Suspend this workspace? Its API calls get 403 workspace_inactive.',
          when: (row) => row.status === 'active',
          run: async (staff, row) => {
            await this.workspaces.suspend(text(row, 'id'), staffAuditActor(staff));
            return 'Workspace suspended: its API calls now get 403 workspace_inactive.';
          },
        },
        {
          name: 'reactivate',
          label: 'Reactivate',
          permission: 'act',
          when: (row) => row.status === 'suspended',
          run: async (staff, row) => {
            await this.workspaces.reactivate(text(row, 'id'), staffAuditActor(staff));
            return 'Workspace reactivated.';
          },
        },
      ],
    };
  }
}
