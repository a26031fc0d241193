import { GraphError } from './errors.js';

/**
 * A small `$filter` subset: comparisons (`eq ne gt ge lt le`) of a property path with a literal
 * ('string', number, true/false/null, or an unquoted ISO date-time), `contains(path, 'x')` and
 * `startswith(path, 'x')`, joined by `and` / `or` (`and` binds tighter; no grouping
 * parentheses). Lambdas (`collection/any(v: …)`) are answered by a handler the resource gives for
 * that collection. Enough for `internetMessageId eq '<…>'`,
 * `receivedDateTime ge 2024-01-01T00:00:00Z`, `mail eq 'a@b.com'`,
 * `singleValueExtendedProperties/Any(ep: ep/id eq '…' and ep/value eq '…')`.
 */
export type Predicate = (item: Record<string, unknown>) => boolean;

/** Builds the predicate of `collection/any(variable: body)`; throws a GraphError when invalid. */
export type LambdaHandler = (body: string, variable: string) => Predicate;

type Op = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';

const COMPARISON = /^\s*([A-Za-z][\w/]*)\s+(eq|ne|gt|ge|lt|le)\s+('(?:[^']|'')*'|[^\s']+)\s*/i;
const FUNCTION =
  /^\s*(contains|startswith|endswith)\(\s*([A-Za-z][\w/]*)\s*,\s*('(?:[^']|'')*')\s*\)\s*$/i;
const LAMBDA = /^\s*([A-Za-z]\w*)\/any\(\s*([A-Za-z]\w*)\s*:([\s\S]*)\)\s*$/i;

export function parseFilter(
  raw: string | undefined,
  invalid: (why: string) => GraphError,
  lambdas: Record<string, LambdaHandler> = {},
): Predicate | null {
  if (raw === undefined || raw.trim() === '') return null;
  const alternatives = splitKeyword(raw, 'or').map((part) =>
    splitKeyword(part, 'and').map((c) => clause(c, invalid, lambdas)),
  );
  return (item) => alternatives.some((all) => all.every((test) => test(item)));
}

function clause(
  text: string,
  invalid: (why: string) => GraphError,
  lambdas: Record<string, LambdaHandler>,
): Predicate {
  const lambda = LAMBDA.exec(text);
  if (lambda) {
    const [, collection, variable, body] = lambda;
    const handler = Object.entries(lambdas).find(
      ([name]) => name.toLowerCase() === collection.toLowerCase(),
    )?.[1];
    if (!handler) throw invalid(`Unsupported lambda on '${collection}'.`);
    return handler(body, variable);
  }
  const fn = FUNCTION.exec(text);
  if (fn) {
    const [, name, path, literal] = fn;
    const expected = String(parseLiteral(literal)).toLowerCase();
    const test = {
      contains: (v: string) => v.includes(expected),
      startswith: (v: string) => v.startsWith(expected),
      endswith: (v: string) => v.endsWith(expected),
    }[name.toLowerCase() as 'contains' | 'startswith' | 'endswith'];
    return (item) => {
      const actual = valueAt(item, path);
      return typeof actual === 'string' && test(actual.toLowerCase());
    };
  }
  return comparison(text, invalid);
}

function comparison(text: string, invalid: (why: string) => GraphError): Predicate {
  const match = COMPARISON.exec(text);
  if (!match || match[0].length !== text.length)
    throw invalid(`Invalid filter clause: '${text.trim()}'.`);
  const [, path, op, literal] = match;
  const expected = parseLiteral(literal);
  return (item) => compare(valueAt(item, path), op.toLowerCase() as Op, expected);
}

/** Splits on a keyword outside string literals and parentheses. */
export function splitKeyword(text: string, keyword: string): string[] {
  const parts: string[] = [];
  let inString = false;
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "'") inString = !inString;
    if (inString) continue;
    if (text[i] === '(') depth++;
    if (text[i] === ')') depth--;
    if (depth > 0) continue;
    const ahead = text.slice(i, i + keyword.length + 2).toLowerCase();
    if (ahead === ` ${keyword} `) {
      parts.push(text.slice(start, i));
      start = i + keyword.length + 2;
      i = start - 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

export function parseLiteral(literal: string): unknown {
  if (literal.startsWith("'")) return literal.slice(1, -1).replace(/''/g, "'");
  const lower = literal.toLowerCase();
  if (lower === 'true' || lower === 'false') return lower === 'true';
  if (lower === 'null') return null;
  if (/^-?\d+(\.\d+)?$/.test(literal)) return Number(literal);
  return literal;
}

function valueAt(item: Record<string, unknown>, path: string): unknown {
  let current: unknown = item;
  for (const part of path.split('/')) {
    if (current === null || typeof current !== 'object') return undefined;
    const entry = Object.entries(current).find(([k]) => k.toLowerCase() === part.toLowerCase());
    current = entry?.[1];
  }
  return current;
}

function compare(actual: unknown, op: Op, expected: unknown): boolean {
  const [a, b] = comparable(actual, expected);
  switch (op) {
    case 'eq':
      return a === b;
    case 'ne':
      return a !== b;
    case 'gt':
      return a !== null && b !== null && a > b;
    case 'ge':
      return a !== null && b !== null && a >= b;
    case 'lt':
      return a !== null && b !== null && a < b;
    case 'le':
      return a !== null && b !== null && a <= b;
  }
}

/** Strings compare case-insensitively (as Exchange does); date-times by instant. */
function comparable(
  actual: unknown,
  expected: unknown,
): [string | number | boolean | null, string | number | boolean | null] {
  if (typeof expected === 'string' && typeof actual === 'string') {
    const [x, y] = [Date.parse(actual), Date.parse(expected)];
    if (/^\d{4}-\d{2}-\d{2}T/.test(expected) && !Number.isNaN(x) && !Number.isNaN(y)) return [x, y];
    return [actual.toLowerCase(), expected.toLowerCase()];
  }
  return [scalar(actual), scalar(expected)];
}

function scalar(value: unknown): string | number | boolean | null {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return value;
  return null;
}
