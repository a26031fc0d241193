import type { SingleValueExtendedProperty } from '../mail-model.js';
import { GraphError } from './errors.js';
import { parseFilter, parseLiteral, splitKeyword, type Predicate } from './filter.js';

/**
 * Single-value extended properties (MAPI properties) on messages, as Graph v1.0 documents them
 * (singleValueLegacyExtendedProperty, "Outlook extended properties overview"):
 *
 * - ids take one of three forms: `{type} {guid} Name {name}`, `{type} {guid} Id {id}` or
 *   `{type} {proptag}`; anything else is 400 `ErrorInvalidProperty`;
 * - they are set in the body that creates or updates the item (`singleValueExtendedProperties`);
 * - they are read only through `$expand=singleValueExtendedProperties($filter=id eq '…')`, and
 *   items are found with `$filter=singleValueExtendedProperties/Any(ep: ep/id eq '…' and …)`.
 *
 * Ids compare case-insensitively in the type, GUID and `Name`/`Id` keyword, numerically in ids
 * and tags, but case-sensitively in the string name ("Filtering the string name (Name) in the id
 * of an extended property is case-sensitive"); values compare case-insensitively.
 */

/** MapiPropertyType values that hold one value (the `…Array` ones are multi-value). */
const SINGLE_TYPES = [
  'ApplicationTime',
  'Binary',
  'Boolean',
  'CLSID',
  'Currency',
  'Double',
  'Error',
  'Float',
  'Integer',
  'Long',
  'Null',
  'Object',
  'Short',
  'String',
  'SystemTime',
];

const GUID = /^\{?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\}?$/i;
const NUMBER = /^(?:0x[0-9a-f]{1,8}|\d{1,10})$/i;

const FORMATS =
  "PropertyId values may only be in one of the following formats: 'MapiPropertyType namespaceGuid Name propertyName', 'MapiPropertyType namespaceGuid Id propertyId' or 'MapiPropertyType propertyTag'.";

export function invalidPropertyId(): GraphError {
  return new GraphError(400, 'ErrorInvalidProperty', FORMATS);
}

/**
 * The canonical form of a property id (what Graph answers with): the type as MapiPropertyType
 * spells it, the GUID lower-case in braces, ids and tags as lower-case hex without leading zeros.
 * Throws 400 ErrorInvalidProperty for a malformed id.
 */
export function canonicalPropertyId(raw: unknown): string {
  if (typeof raw !== 'string') throw invalidPropertyId();
  const parts = raw.trim().split(/\s+/);
  const type = SINGLE_TYPES.find((t) => t.toLowerCase() === parts[0]?.toLowerCase());
  if (!type) throw invalidPropertyId();
  if (parts.length === 2 && NUMBER.test(parts[1])) return `${type} ${hex(parts[1])}`;
  const guid = GUID.exec(parts[1] ?? '');
  if (!guid || parts.length < 4) throw invalidPropertyId();
  const namespace = `{${guid[1].toLowerCase()}}`;
  const kind = parts[2].toLowerCase();
  if (kind === 'id' && parts.length === 4 && NUMBER.test(parts[3]))
    return `${type} ${namespace} Id ${hex(parts[3])}`;
  if (kind === 'name') {
    // The name is everything after the keyword, as given (it may contain spaces).
    const name = raw.trim().replace(/^\S+\s+\S+\s+\S+\s+/, '');
    if (name !== '') return `${type} ${namespace} Name ${name}`;
  }
  throw invalidPropertyId();
}

/**
 * Reads `singleValueExtendedProperties` of a message body: `[{ id, value }]`, ids validated and
 * made canonical, a later entry for the same id replacing an earlier one. Undefined/null = none.
 */
export function parseExtendedProperties(raw: unknown): SingleValueExtendedProperty[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw))
    throw new GraphError(
      400,
      'BadRequest',
      "Property 'singleValueExtendedProperties' must be a collection.",
    );
  const byId = new Map<string, SingleValueExtendedProperty>();
  for (const entry of raw) {
    const e = entry !== null && typeof entry === 'object' ? (entry as Record<string, unknown>) : {};
    const id = canonicalPropertyId(e.id);
    byId.set(id, { id, value: propertyValue(id, e.value) });
  }
  return [...byId.values()];
}

/** PATCH semantics: given properties are created or replaced, the others kept. */
export function mergeExtendedProperties(
  current: SingleValueExtendedProperty[],
  changes: SingleValueExtendedProperty[],
): SingleValueExtendedProperty[] {
  const byId = new Map(current.map((p) => [p.id, p]));
  for (const p of changes) byId.set(p.id, p);
  return [...byId.values()];
}

/**
 * `$expand=singleValueExtendedProperties($filter=id eq '…' [or id eq '…'])`: the canonical ids
 * asked for, or null when the message's extended properties are not expanded. Other expanded
 * navigation properties are ignored (the emulator has none to return).
 */
export function parseExtendedPropertyExpand(raw: string | undefined): Set<string> | null {
  if (raw === undefined) return null;
  const item = splitTopLevel(raw).find((i) => /^singleValueExtendedProperties\b/i.test(i.trim()));
  if (item === undefined) return null;
  const options = /^\s*singleValueExtendedProperties\s*\(([\s\S]*)\)\s*$/i.exec(item);
  const filter = options
    ? options[1]
        .split(';')
        .map((o) => /^\s*\$filter\s*=([\s\S]*)$/i.exec(o)?.[1])
        .find((f) => f !== undefined)
    : undefined;
  // Graph offers no way to read every extended property of an item: an id filter is required.
  if (filter === undefined)
    throw new GraphError(
      400,
      'ErrorInvalidUrlQuery',
      "Expanding 'singleValueExtendedProperties' requires a $filter on 'id'.",
    );
  const ids = new Set<string>();
  for (const alternative of splitKeyword(filter, 'or')) {
    const match = /^\s*id\s+eq\s+('(?:[^']|'')*')\s*$/i.exec(alternative);
    if (!match) throw invalidFilter();
    ids.add(canonicalPropertyId(parseLiteral(match[1])));
  }
  return ids;
}

/** The expanded `singleValueExtendedProperties` of a message; omitted when none matched. */
export function expandedProperties(
  properties: SingleValueExtendedProperty[],
  ids: Set<string> | null,
): Record<string, unknown> {
  if (!ids) return {};
  const matched = properties.filter((p) => ids.has(p.id)).map((p) => ({ ...p }));
  return matched.length ? { singleValueExtendedProperties: matched } : {};
}

/**
 * The `$filter` lambda `singleValueExtendedProperties/Any(ep: ep/id eq '…' and <value test>)`:
 * exactly one `ep/id eq` clause, and optionally comparisons / contains / startswith on
 * `ep/value`. Expects the filtered item to carry `singleValueExtendedProperties`.
 */
export function extendedPropertyLambda(body: string, variable: string): Predicate {
  const clauses = splitKeyword(body, 'and');
  if (splitKeyword(body, 'or').length > 1) throw invalidFilter();
  const idPattern = new RegExp(`^\\s*${variable}/id\\s+eq\\s+('(?:[^']|'')*')\\s*$`, 'i');
  const idClauses = clauses.filter((c) => idPattern.test(c));
  if (idClauses.length !== 1) throw invalidFilter();
  const id = canonicalPropertyId(parseLiteral(idPattern.exec(idClauses[0])?.[1] ?? ''));
  const rest = clauses.filter((c) => c !== idClauses[0]);
  const valuePattern = new RegExp(`(^|[\\s(,])${variable}/value\\b`, 'i');
  if (rest.some((c) => !valuePattern.test(c))) throw invalidFilter();
  const valueTest = parseFilter(rest.join(' and '), invalidFilter);
  return (item) => {
    const properties = item.singleValueExtendedProperties as SingleValueExtendedProperty[];
    const property = properties.find((p) => p.id === id);
    if (!property) return false;
    return valueTest ? valueTest({ [variable]: { value: property.value } }) : true;
  };
}

function invalidFilter(): GraphError {
  return new GraphError(
    400,
    'ErrorInvalidUrlQueryFilter',
    'The query filter contains one or more invalid nodes.',
  );
}

/** Values are strings on the wire; numeric and boolean types must hold what they say. */
function propertyValue(id: string, raw: unknown): string {
  if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean')
    throw new GraphError(
      400,
      'ErrorInvalidExtendedPropertyValue',
      'The extended property value is invalid.',
    );
  const value = String(raw);
  const type = id.slice(0, id.indexOf(' '));
  const ok = ['Integer', 'Long', 'Short'].includes(type)
    ? /^-?\d+$/.test(value)
    : type === 'Boolean'
      ? /^(true|false)$/i.test(value)
      : ['Double', 'Float', 'Currency'].includes(type)
        ? value.trim() !== '' && !Number.isNaN(Number(value))
        : type === 'SystemTime'
          ? !Number.isNaN(Date.parse(value))
          : true;
  if (!ok)
    throw new GraphError(
      400,
      'ErrorInvalidExtendedPropertyValue',
      `The extended property value '${value}' is invalid for type '${type}'.`,
    );
  return value;
}

function hex(number: string): string {
  return `0x${Number(number).toString(16)}`;
}

/** Splits `$expand` on commas outside parentheses and string literals. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let inString = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "'") inString = !inString;
    if (inString) continue;
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}
