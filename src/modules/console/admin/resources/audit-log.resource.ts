import { Injectable } from '@nestjs/common';
import { AuditService } from '../../../../common/audit/audit.service.js';
import type { ListingQuery } from '../../../../common/database/listing.js';
import { StaffService } from '../../staff/staff.service.js';
import type { FieldDef, ResourceDef } from '../definitions.js';

const FIELDS: FieldDef[] = [
  { path: 'id', type: 'id', filter: true },
  { path: 'at', type: 'datetime', list: true, filter: true },
  { path: 'action', type: 'string', list: true, filter: true },
  {
    path: 'actorType',
    type: 'string',
    values: ['user', 'staff', 'system'],
    list: true,
    filter: true,
  },
  { path: 'actor', type: 'string', list: true },
  { path: 'actorId', type: 'string', label: 'Actor id', filter: true },
  { path: 'targetType', type: 'string', list: true, filter: true },
  { path: 'targetId', type: 'string', label: 'Target id', list: true, filter: true },
  { path: 'workspaceId', type: 'reference', reference: 'workspaces', filter: true },
  { path: 'metadata', type: 'json' },
];

/** Who did what, read only; staff actors are shown by their email. */
@Injectable()
export class AuditLogResource {
  constructor(
    private readonly audit: AuditService,
    private readonly staff: StaffService,
  ) {}

  definition(): ResourceDef {
    return {
      id: 'audit_log',
      label: 'Audit log',
      group: 'System',
      titleField: 'action',
      permission: 'view',
      sort: { field: 'at', direction: 'desc' },
      source: { listing: (query) => this.withActors(query), count: (f) => this.audit.count(f) },
      fields: FIELDS,
      actions: [],
    };
  }

  private async withActors(query: ListingQuery): Promise<object[]> {
    const rows = await this.audit.listing(query);
    const staffIds = rows.filter((r) => r.actorType === 'staff' && r.actorId).map((r) => r.actorId);
    const emails = await this.staff.emailsOf(staffIds as string[]);
    return rows.map((row) => ({
      ...row,
      actor:
        row.actorType === 'staff'
          ? (emails.get(row.actorId ?? '') ?? row.actorId)
          : (row.actorId ?? row.actorType),
    }));
  }
}
