/**
 * Reads for the operations console: a page of rows filtered field by field, in one order. Each
 * module says which of its fields may be filtered and how (`ListingFields`); anything else a
 * request names is ignored, so a filter can only ever touch the fields a module offers.
 */

/** One filter value: an exact value, several (ids), or a date range. */
export type ListingFilter = string | string[] | { from?: string; to?: string };

export type ListingFilters = Record<string, ListingFilter>;

export interface ListingQuery {
  filters: ListingFilters;
  sort?: { field: string; direction: 'asc' | 'desc' };
  offset: number;
  limit: number;
}

/** How a field is filtered: exact, case-insensitive substring, enum, date range, ... */
export type FieldFilter =
  | { kind: 'equals' }
  /** As equals, on a uuid column: anything that is not a uuid matches nothing. */
  | { kind: 'uuid' }
  | { kind: 'contains' }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'date' }
  | { kind: 'boolean' }
  | { kind: 'number' }
  /** A virtual true/false field: true when `column` is NULL (e.g. connected = not disconnected). */
  | { kind: 'isNull'; column: string };

export type ListingFields = Record<string, FieldFilter>;

export const MAX_LISTING_LIMIT = 500;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}
const MAX_FILTER_LENGTH = 200;

type Condition = Record<string, unknown>;

/**
 * The Prisma `where` for the filters, or null when a filter can match nothing (an unknown enum
 * value, a malformed number or boolean): the caller then answers with no rows without a query.
 */
export function listingWhere(fields: ListingFields, filters: ListingFilters): Condition | null {
  const where: Condition = {};
  for (const [name, value] of Object.entries(filters)) {
    if (!Object.hasOwn(fields, name)) continue;
    const condition = conditionFor(name, fields[name], value);
    if (condition === null) return null;
    Object.assign(where, condition);
  }
  return where;
}

function conditionFor(name: string, field: FieldFilter, value: ListingFilter): Condition | null {
  if (field.kind === 'date') return dateCondition(name, value);
  if (Array.isArray(value)) return listCondition(name, field, value);
  if (typeof value !== 'string' || !isShortText(value)) return null;
  switch (field.kind) {
    case 'equals':
      return { [name]: value };
    case 'uuid':
      return isUuid(value) ? { [name]: value } : null;
    case 'contains':
      return { [name]: { contains: value, mode: 'insensitive' } };
    case 'enum':
      return field.values.includes(value) ? { [name]: value } : null;
    case 'boolean':
      return value === 'true' || value === 'false' ? { [name]: value === 'true' } : null;
    case 'number':
      return /^-?\d{1,9}$/.test(value) ? { [name]: Number(value) } : null;
    case 'isNull':
      if (value !== 'true' && value !== 'false') return null;
      return { [field.column]: value === 'true' ? null : { not: null } };
  }
}

function listCondition(name: string, field: FieldFilter, values: string[]): Condition | null {
  if (field.kind !== 'equals' && field.kind !== 'uuid') return null;
  if (values.some((v) => !isShortText(v) || (field.kind === 'uuid' && !isUuid(v)))) return null;
  return { [name]: { in: values } };
}

function dateCondition(name: string, value: ListingFilter): Condition | null {
  if (typeof value !== 'object' || Array.isArray(value)) return null;
  const range: Record<string, Date> = {};
  const from = parseDate(value.from);
  const to = parseDate(value.to);
  if (from) range.gte = from;
  if (to) range.lte = to;
  return Object.keys(range).length ? { [name]: range } : {};
}

function parseDate(text: string | undefined): Date | undefined {
  if (!text || !isShortText(text)) return undefined;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function isShortText(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_FILTER_LENGTH;
}

/** `orderBy` for the sort when the field may be sorted on, else the fallback; id breaks ties. */
export function listingOrder(
  fields: ListingFields,
  sort: ListingQuery['sort'],
  fallback: { field: string; direction: 'asc' | 'desc' },
): Record<string, 'asc' | 'desc'>[] {
  const sortable =
    sort && Object.hasOwn(fields, sort.field) && fields[sort.field].kind !== 'isNull';
  const chosen = sortable ? sort : fallback;
  return chosen.field === 'id'
    ? [{ id: chosen.direction }]
    : [{ [chosen.field]: chosen.direction }, { id: 'asc' }];
}

/** Offset and limit, bounded (a page never exceeds MAX_LISTING_LIMIT rows). */
export function listingWindow(query: Pick<ListingQuery, 'offset' | 'limit'>): {
  skip: number;
  take: number;
} {
  const take = Math.min(Math.max(1, Math.floor(query.limit) || 1), MAX_LISTING_LIMIT);
  return { skip: Math.max(0, Math.floor(query.offset) || 0), take };
}

/** What a listing hands to a model's `findMany`: the filters, the order and the page. */
export interface ListingArgs<Where> {
  where: Where;
  orderBy: Record<string, 'asc' | 'desc'>[];
  skip: number;
  take: number;
}

/**
 * One model's console listing: its filterable fields and its default order. `rows` and `count`
 * are the filter → findMany / count wiring every listing shares (a filter that can match
 * nothing answers without a query); the repository supplies the Prisma call. `Where` is the
 * model's where-input type, so the call needs no cast.
 */
export class Listing<Where> {
  constructor(
    readonly fields: ListingFields,
    private readonly defaultSort: { field: string; direction: 'asc' | 'desc' },
  ) {}

  async rows<Row>(
    query: ListingQuery,
    findMany: (args: ListingArgs<Where>) => Promise<Row[]>,
  ): Promise<Row[]> {
    const where = listingWhere(this.fields, query.filters);
    if (!where) return [];
    return findMany({
      where: where as Where,
      orderBy: listingOrder(this.fields, query.sort, this.defaultSort),
      ...listingWindow(query),
    });
  }

  async count(filters: ListingFilters, count: (where: Where) => Promise<number>): Promise<number> {
    const where = listingWhere(this.fields, filters);
    return where ? count(where as Where) : 0;
  }
}
