import { Injectable } from '@nestjs/common';
import { StaffService } from '../../staff/staff.service.js';
import { STAFF_ROLES } from '../../staff/staff.rules.js';
import { staffAuditActor, text } from '../actors.js';
import type { FieldDef, ResourceDef } from '../definitions.js';

const FIELDS: FieldDef[] = [
  { path: 'id', type: 'id', filter: true },
  { path: 'email', type: 'string', list: true, filter: true, edit: 'create' },
  { path: 'name', type: 'string', list: true, filter: true, edit: true },
  { path: 'role', type: 'string', values: STAFF_ROLES, list: true, filter: true, edit: true },
  {
    path: 'status',
    type: 'string',
    values: ['active', 'disabled'],
    list: true,
    filter: true,
  },
  { path: 'password', type: 'password', show: false, edit: true },
  { path: 'lastLoginAt', type: 'datetime', list: true, filter: true },
  { path: 'lockedUntil', type: 'datetime', list: true, filter: true },
  { path: 'failedLogins', type: 'number' },
  { path: 'passwordChangedAt', type: 'datetime' },
  { path: 'createdBy', type: 'string' },
  { path: 'createdAt', type: 'datetime', filter: true },
  { path: 'updatedAt', type: 'datetime' },
];

/** Console users (admins only): create, change role or password, disable, unlock. */
@Injectable()
export class StaffUsersResource {
  constructor(private readonly staff: StaffService) {}

  definition(): ResourceDef {
    return {
      id: 'staff_users',
      label: 'Staff users',
      group: 'Staff',
      titleField: 'email',
      permission: 'manage_staff',
      sort: { field: 'email', direction: 'asc' },
      source: this.staff,
      fields: FIELDS,
      editable: {
        create: (staff, input) => this.staff.create(staffAuditActor(staff), input),
        update: (staff, id, input) =>
          this.staff.update(staffAuditActor(staff), id, {
            name: input.name,
            role: input.role,
            password: input.password || undefined,
          }),
      },
      actions: [
        {
          name: 'disable',
          label: 'Disable',
          permission: 'manage_staff',
          confirm: 'Disable this staff user? Their sessions end now.',
          when: (row) => row.status === 'active',
          run: async (staff, row) => {
            await this.staff.disable(staffAuditActor(staff), text(row, 'id'));
            return 'Staff user disabled; their sessions have ended.';
          },
        },
        {
          name: 'enable',
          label: 'Enable',
          permission: 'manage_staff',
          when: (row) => row.status === 'disabled',
          run: async (staff, row) => {
            await this.staff.enable(staffAuditActor(staff), text(row, 'id'));
            return 'Staff user enabled.';
          },
        },
        {
          name: 'unlock',
          label: 'Unlock',
          permission: 'manage_staff',
          when: (row) =>
            row.lockedUntil !== null && new Date(text(row, 'lockedUntil')) > new Date(),
          run: async (staff, row) => {
            await this.staff.unlock(staffAuditActor(staff), text(row, 'id'));
            return 'Staff user unlocked.';
          },
        },
      ],
    };
  }
}
