import type { Request } from 'express';

/** Query and form parameters as one string map (a form field wins over the query). */
export function requestParams(req: Request): Record<string, string> {
  return { ...stringEntries(req.query), ...formParams(req) };
}

/** Form-body parameters only (the token endpoint ignores the query string). */
export function formParams(req: Request): Record<string, string> {
  return stringEntries(req.body);
}

function stringEntries(source: unknown): Record<string, string> {
  const params: Record<string, string> = {};
  if (!source || typeof source !== 'object') return params;
  for (const [key, value] of Object.entries(source)) {
    if (typeof value === 'string') params[key] = value;
  }
  return params;
}
