import {
  type ActionContext,
  BaseProperty,
  BaseRecord,
  BaseResource,
  type Filter,
  type ParamsType,
  ValidationError,
} from 'adminjs';
import { ValidationFailedError } from '../../../common/errors/domain-error.js';
import type { StaffPrincipal } from '../staff/staff-auth.service.js';
import { ConsoleProperty } from './admin-property.js';
import type { ResourceDef } from './definitions.js';
import { filtersOf, toParams } from './params.js';

/**
 * An AdminJS resource read through a module's service (never a table): a page holds exactly
 * the fields its definition lists, filters reach the service only for fields marked
 * filterable, and writes exist only where the definition routes them to a service.
 */
export class ConsoleResource extends BaseResource {
  private readonly props: ConsoleProperty[];

  constructor(readonly def: ResourceDef) {
    super(def);
    this.props = def.fields.map((field) => new ConsoleProperty(field, def.titleField));
  }

  override id(): string {
    return this.def.id;
  }

  override databaseName(): string {
    return 'ScendCore';
  }

  override databaseType(): string {
    return 'services';
  }

  override properties(): BaseProperty[] {
    return this.props;
  }

  override property(path: string): BaseProperty | null {
    return this.props.find((p) => p.path() === path) ?? null;
  }

  override async count(filter: Filter): Promise<number> {
    return this.def.source.count(filtersOf(filter, this.def));
  }

  override async find(
    filter: Filter,
    options: {
      limit?: number;
      offset?: number;
      sort?: { sortBy?: string; direction?: 'asc' | 'desc' };
    },
  ): Promise<BaseRecord[]> {
    const sort = options.sort?.sortBy
      ? { field: options.sort.sortBy, direction: options.sort.direction ?? 'asc' }
      : undefined;
    const rows = await this.def.source.listing({
      filters: filtersOf(filter, this.def),
      sort,
      offset: options.offset ?? 0,
      limit: options.limit ?? 20,
    });
    return rows.map((row) => this.record(row));
  }

  override async findOne(id: string): Promise<BaseRecord | null> {
    const [row] = await this.def.source.listing({
      filters: { id: String(id) },
      offset: 0,
      limit: 1,
    });
    return row ? this.record(row) : null;
  }

  override async findMany(ids: (string | number)[]): Promise<BaseRecord[]> {
    if (ids.length === 0) return [];
    const rows = await this.def.source.listing({
      filters: { id: ids.map(String) },
      offset: 0,
      limit: ids.length,
    });
    return rows.map((row) => this.record(row));
  }

  override async create(
    params: Record<string, unknown>,
    context?: ActionContext,
  ): Promise<ParamsType> {
    const editable = this.editable();
    const row = await asFormErrors(() => editable.create(staffOf(context), formInput(params)));
    return toParams(row, this.def);
  }

  override async update(
    id: string,
    params: Record<string, unknown>,
    context?: ActionContext,
  ): Promise<ParamsType> {
    const editable = this.editable();
    const row = await asFormErrors(() => editable.update(staffOf(context), id, formInput(params)));
    return toParams(row, this.def);
  }

  override async delete(): Promise<void> {
    throw new Error(`${this.def.id} cannot be deleted from the console`);
  }

  private record(row: object): BaseRecord {
    return new BaseRecord(toParams(row, this.def), this);
  }

  private editable() {
    if (!this.def.editable) throw new Error(`${this.def.id} is read only`);
    return this.def.editable;
  }
}

function formInput(params: Record<string, unknown>): Record<string, string> {
  const input: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) {
    if (typeof value === 'string') input[key] = value;
  }
  return input;
}

function staffOf(context: ActionContext | undefined): StaffPrincipal {
  const admin = context?.currentAdmin as Partial<StaffPrincipal> | undefined;
  if (!admin?.id || !admin.email || !admin.role) throw new Error('no signed-in staff user');
  return { id: admin.id, email: admin.email, name: admin.name ?? null, role: admin.role };
}

/** A service's validation failure as errors next to the form's fields. */
async function asFormErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof ValidationFailedError)) throw error;
    const fields: Record<string, { message: string }> = {};
    for (const detail of error.details)
      fields[detail.field ?? 'base'] = { message: detail.message };
    throw new ValidationError(fields, { message: error.message });
  }
}
