import type { Request } from 'express';
import { errors, GraphError } from './errors.js';

/** A query option as a single string (the first one when repeated). */
export function queryOption(req: Request, name: string): string | undefined {
  const value = req.query[name] ?? req.query[name.replace(/^\$/, '')];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : undefined;
}

/**
 * `$select` resolved against the properties a resource has (case-insensitive, as Graph is);
 * null when absent. An unknown name is the resource's own 400 (`onUnknown`).
 */
export function parseSelect(
  raw: string | undefined,
  known: readonly string[],
  onUnknown: (name: string) => GraphError,
): string[] | null {
  if (raw === undefined || raw.trim() === '') return null;
  const byLower = new Map(known.map((k) => [k.toLowerCase(), k]));
  const names = raw
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);
  return names.map((name) => {
    const found = byLower.get(name.toLowerCase());
    if (!found) throw onUnknown(name);
    return found;
  });
}

/** `$top` within `1..max`, or the default; `error` builds the resource's own 400. */
export function parseTop(
  raw: string | undefined,
  fallback: number,
  max: number,
  error: (value: string) => GraphError = invalidTop,
): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max) throw error(raw);
  return value;
}

function invalidTop(raw: string): GraphError {
  return errors.badRequest(`Invalid value '${raw}' for query option '$top'.`);
}

/** `Prefer: odata.maxpagesize=N`, if given and valid. */
export function preferredPageSize(req: Request): number | undefined {
  const match = /odata\.maxpagesize\s*=\s*(\d+)/i.exec(req.get('Prefer') ?? '');
  const value = match ? Number(match[1]) : NaN;
  return Number.isInteger(value) && value > 0 ? value : undefined;
}

/** Whether the client asked for immutable ids (`Prefer: IdType="ImmutableId"`). */
export function prefersImmutableIds(req: Request): boolean {
  return /IdType\s*=\s*"?ImmutableId"?/i.test(req.get('Prefer') ?? '');
}

/** Adds a preference to the `Preference-Applied` response header. */
export function applyPreference(
  res: { getHeader(n: string): unknown; setHeader(n: string, v: string): unknown },
  value: string,
): void {
  const current = res.getHeader('Preference-Applied');
  res.setHeader('Preference-Applied', current ? `${String(current)}, ${value}` : value);
}

/** Rebuilds a URL of this request with some query options replaced (for nextLink). */
export function linkWith(baseUrl: string, req: Request, options: Record<string, string>): string {
  const url = new URL(req.originalUrl, baseUrl);
  const kept = [...url.searchParams.entries()].filter(
    ([k]) => !(k in options) && !k.startsWith('$skip'),
  );
  const params = new URLSearchParams([...kept, ...Object.entries(options)]);
  return `${baseUrl}${url.pathname}?${params.toString().replace(/%24/g, '$')}`;
}
