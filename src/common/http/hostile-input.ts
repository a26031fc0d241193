import type { ErrorDetail } from '../errors/domain-error.js';
import { textProblem } from './text-rules.js';

/** Deeper than any request of the API needs; stops stack-deep JSON before anything recurses. */
export const MAX_DEPTH = 8;
const MAX_DETAILS = 20;

interface Walk {
  freeText: ReadonlySet<string>;
  details: ErrorDetail[];
}

/**
 * Every string (and object key) of a parsed body, query or path parameter checked for control
 * characters and unpaired surrogates, whatever the DTO says: one detail per bad field, named
 * by its path (`to[0].name`). Fields in `freeText` may hold tabs and line breaks.
 */
export function findHostileInput(
  value: unknown,
  root: string,
  freeText: ReadonlySet<string> = new Set(),
): ErrorDetail[] {
  const walk: Walk = { freeText, details: [] };
  visit(value, root, 0, walk);
  return walk.details;
}

function visit(value: unknown, path: string, depth: number, walk: Walk): void {
  if (walk.details.length >= MAX_DETAILS) return;
  if (typeof value === 'string') return checkString(value, path, walk);
  if (typeof value !== 'object' || value === null) return;
  if (depth >= MAX_DEPTH) {
    walk.details.push({ field: path || 'body', message: 'is nested too deeply' });
    return;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length && walk.details.length < MAX_DETAILS; i += 1) {
      visit(value[i], `${path}[${i}]`, depth + 1, walk);
    }
    return;
  }
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    const field = fieldPath(path, key);
    if (textProblem(key, 'line'))
      walk.details.push({ field, message: 'is not a valid field name' });
    else visit(item, field, depth + 1, walk);
  }
}

function checkString(value: string, path: string, walk: Walk): void {
  const problem = textProblem(value, walk.freeText.has(path) ? 'free' : 'line');
  if (problem) walk.details.push({ field: path || 'value', message: problem });
}

/** `a.b` for a key, with control characters and bad surrogates escaped (`\u0000`). */
function fieldPath(path: string, key: string): string {
  const printable = textProblem(key, 'line') ? JSON.stringify(key).slice(1, -1) : key;
  return path ? `${path}.${printable}` : printable;
}
