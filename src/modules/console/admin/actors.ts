import type { AuditEntry } from '../../../common/audit/audit.service.js';
import type { Actor } from '../../../common/auth/actor.js';
import type { StaffPrincipal } from '../staff/staff-auth.service.js';
import type { Params } from './definitions.js';

/** The staff member acting on a workspace, as module services take it (audited as staff). */
export function staffActor(staff: StaffPrincipal, workspaceId: string): Actor {
  return { userId: staff.id, workspaceId, kind: 'staff' };
}

export function staffAuditActor(staff: StaffPrincipal): AuditEntry['actor'] {
  return { type: 'staff', id: staff.id };
}

export function text(row: Params, field: string): string {
  return String(row[field] ?? '');
}
