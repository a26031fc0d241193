import type { OpenAPIObject } from '@nestjs/swagger';
import { ERROR_STATUS, OPERATIONS } from './error-catalog.js';

/** Codes any operation can answer, by kind. */
const ANY = [
  'bad_request',
  'validation_failed',
  'invalid_json',
  'payload_too_large',
  'unsupported_media_type',
  'internal_error',
];
const WITH_BEARER = ['unauthenticated', 'workspace_inactive', 'rate_limited'];

type Operation = Record<string, unknown> & {
  summary?: string;
  responses?: Record<string, unknown>;
  parameters?: { in?: string; name?: string }[];
};

/**
 * Completes the generated document: each operation gets its summary, its error responses
 * (status → the codes, with the error body schema) and `x-error-codes`; the duplicate
 * Idempotency-Key header goes; date fields get `format: date-time`.
 */
export function completeDocument(document: OpenAPIObject): OpenAPIObject {
  document.components ??= {};
  document.components.schemas = { ...document.components.schemas, ErrorBody: ERROR_BODY };
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item as Record<string, Operation>)) {
      completeOperation(`${method.toUpperCase()} ${path}`, operation);
    }
  }
  markDates(document.components.schemas);
  return document;
}

/** The codes an operation may answer: its own, and those of its kind. */
export function errorCodesOf(key: string): string[] {
  const own = OPERATIONS[key]?.errors ?? [];
  const bearer = !OPERATIONS[key]?.public;
  return [...new Set([...own, ...ANY, ...(bearer ? WITH_BEARER : []), 'not_found'])];
}

function completeOperation(key: string, operation: Operation): void {
  const entry = OPERATIONS[key];
  if (entry && !operation.summary) operation.summary = entry.summary;
  const codes = errorCodesOf(key);
  operation['x-error-codes'] = codes;
  operation.responses ??= {};
  for (const [status, list] of byStatus(codes)) {
    const existing = operation.responses[status] as { description?: string } | undefined;
    const description = `Error codes: ${list.join(', ')}`;
    operation.responses[status] = existing
      ? { ...existing, description: `${existing.description ?? ''} ${description}`.trim() }
      : {
          description,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } },
        };
  }
  operation.parameters = dedupeHeaders(operation.parameters ?? []);
}

function byStatus(codes: string[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const code of codes) {
    const status = String(ERROR_STATUS[code] ?? 500);
    map.set(status, [...(map.get(status) ?? []), code]);
  }
  return map;
}

function dedupeHeaders(parameters: { in?: string; name?: string }[]) {
  const seen = new Set<string>();
  return parameters.filter((p) => {
    if (p.in !== 'header' || !p.name) return true;
    const key = p.name.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function markDates(schemas: Record<string, unknown> = {}): void {
  for (const schema of Object.values(schemas)) {
    const properties = (schema as { properties?: Record<string, Record<string, unknown>> })
      .properties;
    for (const [name, property] of Object.entries(properties ?? {})) {
      if (/(At|Since)$/.test(name) && property.type === 'string') property.format = 'date-time';
    }
  }
}

const ERROR_BODY = {
  type: 'object',
  required: ['error', 'requestId'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'details'],
      properties: {
        code: { type: 'string', description: 'snake_case, stable' },
        message: { type: 'string', description: 'for a person; may change' },
        details: {
          type: 'array',
          items: {
            type: 'object',
            properties: { field: { type: 'string' }, message: { type: 'string' } },
          },
        },
      },
    },
    requestId: { type: 'string' },
  },
};
