import type { Filter } from 'adminjs';
import type { ListingFilter, ListingFilters } from '../../../common/database/listing.js';
import type { Params, ResourceDef } from './definitions.js';

/** Only the definition's fields, as plain values: nothing else of a row can reach a page. */
export function toParams(row: object, def: ResourceDef): Params {
  const values = row as Record<string, unknown>;
  const params: Params = {};
  for (const field of def.fields) {
    if (field.type === 'password') continue;
    const value = values[field.path];
    if (value === undefined) continue;
    if (value instanceof Date) params[field.path] = value.toISOString();
    else if (field.type === 'json') params[field.path] = JSON.stringify(value ?? null, null, 2);
    else if (value === null || ['string', 'number', 'boolean'].includes(typeof value))
      params[field.path] = value as string | number | boolean | null;
  }
  return params;
}

/** AdminJS filters as the service's: only filterable fields, only text and date ranges. */
export function filtersOf(filter: Filter, def: ResourceDef): ListingFilters {
  const filters: ListingFilters = {};
  for (const field of def.fields) {
    if (!field.filter) continue;
    const value = filter.filters?.[field.path]?.value as unknown;
    const converted = listingValue(value);
    if (converted !== undefined) filters[field.path] = converted;
  }
  return filters;
}

function listingValue(value: unknown): ListingFilter | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const { from, to } = value as { from?: unknown; to?: unknown };
    return {
      ...(typeof from === 'string' && from ? { from } : {}),
      ...(typeof to === 'string' && to ? { to } : {}),
    };
  }
  return undefined;
}
