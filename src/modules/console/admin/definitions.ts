import type { ListingFilters, ListingQuery } from '../../../common/database/listing.js';
import type { StaffPrincipal } from '../staff/staff-auth.service.js';
import type { Permission } from '../staff/staff.rules.js';

/**
 * What the console shows, independent of AdminJS: resources as lists of fields read through a
 * module's service, and record actions that call a module's service. The AdminJS adapter
 * (admin-resource.ts) turns these into AdminJS resources; nothing else reaches a page.
 */
export type FieldType =
  'id' | 'string' | 'number' | 'boolean' | 'datetime' | 'reference' | 'json' | 'password';

export interface FieldDef {
  path: string;
  type: FieldType;
  /** Column title when the path does not read well (default: the path in words). */
  label?: string;
  /** Resource id a `reference` field points to. */
  reference?: string;
  /** Enum values (a select in filters). */
  values?: readonly string[];
  /** Shown in the list table. */
  list?: boolean;
  /** Offered as a filter; the module's service filters on it. */
  filter?: boolean;
  /** Shown on the record page (default true; write-only fields say false). */
  show?: boolean;
  /** On the create and edit forms (staff only); `create`: on the create form only. */
  edit?: true | 'create';
}

/** A value of a row as pages see it. */
export type Params = Record<string, string | number | boolean | null>;

export interface ConsoleSource {
  listing(query: ListingQuery): Promise<object[]>;
  count(filters: ListingFilters): Promise<number>;
}

export interface RecordActionDef {
  name: string;
  label: string;
  permission: Exclude<Permission, 'view'>;
  /** Asked before running (destructive actions). */
  confirm?: string;
  /** Offered for this record (the service still checks). */
  when?: (row: Params) => boolean;
  /** Runs through the owning module's service; returns the notice shown on success. */
  run: (staff: StaffPrincipal, row: Params) => Promise<string>;
}

export interface EditableDef {
  create(staff: StaffPrincipal, input: Record<string, string>): Promise<object>;
  update(staff: StaffPrincipal, id: string, input: Record<string, string>): Promise<object>;
}

export interface ResourceDef {
  id: string;
  label: string;
  group: string;
  titleField: string;
  fields: FieldDef[];
  sort: { field: string; direction: 'asc' | 'desc' };
  /** Needed to see the resource at all. */
  permission: Permission;
  source: ConsoleSource;
  actions: RecordActionDef[];
  /** Create and edit through a service (staff users only); every other resource is read only. */
  editable?: EditableDef;
}
