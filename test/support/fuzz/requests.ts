import fc from 'fast-check';
import type { Operation, Schema } from './openapi.js';
import { toRawJson } from './raw-call.js';
import { anyString, anyValue, encodePart, pathSegment, wrongType } from './values.js';

/** What the fuzzer knows of the seeded workspace, so requests get past 404 and 422. */
export interface Seeds {
  /** Existing ids by the path's resource (`mailboxes`, `identities`, ...). */
  ids: Record<string, string>;
  /** A plausible (valid) value for each field or query name. */
  valid: Record<string, unknown>;
}

export type Auth = 'valid' | 'none' | 'garbage';

export interface FuzzRequest {
  method: string;
  path: string;
  auth: Auth;
  headers: Record<string, string>;
  raw?: string | Buffer;
  contentType?: string;
}

const OMIT = Symbol('omit');
type Field = [string, unknown];

/** Requests for one operation: valid ones, ones with one field broken, and plain garbage. */
export function requestFor(op: Operation, seeds: Seeds): fc.Arbitrary<FuzzRequest> {
  return fc
    .record({
      path: pathFor(op, seeds),
      query: queryFor(op, seeds),
      headers: headersFor(op),
      body: op.body ? bodyFor(op.body, seeds) : fc.constant(undefined),
      auth: fc.oneof(
        { weight: 18, arbitrary: fc.constant<Auth>('valid') },
        fc.constant<Auth>('none'),
        fc.constant<Auth>('garbage'),
      ),
    })
    .map(({ path, query, headers, body, auth }) => ({
      method: op.method,
      path: query ? `${path}?${query}` : path,
      auth,
      headers,
      ...(body ?? {}),
    }));
}

function pathFor(op: Operation, seeds: Seeds): fc.Arbitrary<string> {
  const resource = op.path.split('/')[2] ?? '';
  const id = seeds.ids[resource];
  const segment = fc.oneof(
    { weight: 4, arbitrary: fc.constant(id ?? 'x') },
    { weight: 3, arbitrary: pathSegment() },
  );
  return fc
    .array(segment, { minLength: op.pathParams.length, maxLength: op.pathParams.length })
    .map((values) =>
      op.pathParams.reduce((path, name, i) => path.replace(`{${name}}`, values[i]), op.path),
    );
}

function queryFor(op: Operation, seeds: Seeds): fc.Arbitrary<string> {
  const params = op.query.map(({ name, schema }) =>
    fc
      .oneof(
        { weight: 2, arbitrary: fc.constant<unknown>(OMIT) },
        { weight: 3, arbitrary: fc.constant(seeds.valid[name] ?? OMIT) },
        { weight: 2, arbitrary: valueOf(schema, seeds) },
        { weight: 3, arbitrary: anyString() },
      )
      .filter((value) => urlSafe(value))
      .map((value): Field => [name, value]),
  );
  const extra = fc.array(
    fc.tuple(anyString(), anyString()).filter(([k, v]) => urlSafe(k) && urlSafe(v)),
    { maxLength: 2 },
  );
  return fc
    .tuple(fc.tuple(...params), fc.oneof(fc.constant([]), extra))
    .map(([fields, extras]) => [...fields, ...extras].flatMap(queryPairs).join('&'));
}

function queryPairs([name, value]: Field): string[] {
  if (value === OMIT || value === undefined) return [];
  const values = Array.isArray(value) ? value : [value];
  return values.map((v) => `${encodePart(name)}=${encodePart(stringOf(v))}`);
}

/** Node answers a request line over 16 kB itself (431, no body): stay well below. */
function urlSafe(value: unknown): boolean {
  return value === OMIT || encodePart(stringOf(value)).length < 3_000;
}

function stringOf(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
}

function headersFor(op: Operation): fc.Arbitrary<Record<string, string>> {
  const latin1 = fc.string({
    // What an HTTP client may send in a header value: no control characters, no DEL.
    unit: fc
      .oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0x80, max: 0xff }))
      .map((c) => String.fromCharCode(c)),
    maxLength: 300,
  });
  const value = fc.oneof(
    fc.constant(undefined),
    fc.uuid(),
    latin1.map((s) => s.trim()),
    fc.constantFrom('x'.repeat(256), 'é', 'a b', '\t', ''),
  );
  return fc
    .array(value, { minLength: op.headers.length, maxLength: op.headers.length })
    .map((values) =>
      Object.fromEntries(
        op.headers.flatMap((name, i) => (values[i] === undefined ? [] : [[name, values[i]]])),
      ),
    );
}

/** A body as it goes on the wire: mostly JSON, sometimes another content type or broken. */
function bodyFor(schema: Schema, seeds: Seeds) {
  const json = fc.oneof(
    { weight: 4, arbitrary: oneFieldBroken(schema, seeds) },
    { weight: 3, arbitrary: mixed(schema, seeds) },
    { weight: 1, arbitrary: fc.constant(plausible(schema, seeds)) },
    { weight: 1, arbitrary: wrongType() },
  );
  return fc.oneof(
    { weight: 12, arbitrary: json.map((v) => ({ raw: toRawJson(v) })) },
    { weight: 1, arbitrary: json.map((v) => ({ raw: toRawJson(v).slice(0, -1) })) },
    { weight: 1, arbitrary: json.map((v) => ({ raw: toRawJson(v), contentType: 'text/plain' })) },
    { weight: 1, arbitrary: json.map((v) => ({ raw: form(v), contentType: FORM })) },
    { weight: 1, arbitrary: fc.constant({ raw: oversize() }) },
    { weight: 1, arbitrary: fc.constantFrom(...ODD_BODIES) },
  );
}

const FORM = 'application/x-www-form-urlencoded';
const ODD_BODIES = [
  { raw: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]) },
  { raw: '{"a":1}', contentType: 'application/json; charset=latin1' },
  { raw: '{"__proto__":{"admin":true},"constructor":{"prototype":{}}}' },
  { raw: '' },
  { raw: 'null' },
  { raw: '"text"' },
  { raw: '{"to":["a@b.co"],"to":"x"}' },
];

/** Over the 1 MB body limit: must be 413, not a crash. */
function oversize(): string {
  return `{"text":"${'a'.repeat(1_100_000)}"}`;
}

function form(value: unknown): string {
  if (typeof value !== 'object' || value === null) return encodePart(stringOf(value));
  return Object.entries(value)
    .map(([k, v]) => `${encodePart(k)}=${encodePart(stringOf(v))}`)
    .join('&');
}

/** Every field plausible (a valid request), required or not. */
function plausible(schema: Schema, seeds: Seeds): Record<string, unknown> {
  return Object.fromEntries(
    Object.keys(schema.properties ?? {}).flatMap((name) =>
      seeds.valid[name] === undefined ? [] : [[name, seeds.valid[name]]],
    ),
  );
}

/** A valid request with one field replaced, removed or added. */
function oneFieldBroken(schema: Schema, seeds: Seeds): fc.Arbitrary<Record<string, unknown>> {
  const names = Object.keys(schema.properties ?? {});
  return fc
    .tuple(fc.constantFrom(...names, '<extra>'), anyValue(), anyString(), fc.boolean())
    .map(([name, value, extraKey, remove]) => {
      const body = plausible(schema, seeds);
      if (name === '<extra>') return { ...body, [extraKey]: value };
      if (remove) delete body[name];
      else body[name] = value;
      return body;
    });
}

/** Each field plausible, schema-shaped, hostile or missing, independently. */
function mixed(schema: Schema, seeds: Seeds): fc.Arbitrary<Record<string, unknown>> {
  const fields = Object.entries(schema.properties ?? {}).map(([name, s]) =>
    fc
      .oneof(
        { weight: 3, arbitrary: fc.constant(seeds.valid[name] ?? OMIT) },
        { weight: 2, arbitrary: valueOf(s, seeds) },
        { weight: 2, arbitrary: anyValue() },
        { weight: 1, arbitrary: fc.constant<unknown>(OMIT) },
      )
      .map((value): Field => [name, value]),
  );
  return fc
    .tuple(...fields)
    .map((entries) => Object.fromEntries(entries.filter(([, value]) => value !== OMIT)));
}

/** A value shaped by the schema (types right, contents anything). */
export function valueOf(schema: Schema, seeds: Seeds): fc.Arbitrary<unknown> {
  if (schema.oneOf?.length) return fc.oneof(...schema.oneOf.map((s) => valueOf(s, seeds)));
  if (schema.enum?.length) return fc.constantFrom(...schema.enum);
  switch (schema.type) {
    case 'string':
      return schema.format === 'email'
        ? fc.oneof(
            fc.emailAddress(),
            anyString().map((s) => `${s}@example.com`),
            anyString(),
          )
        : anyString();
    case 'number':
    case 'integer':
      return fc.oneof(fc.integer({ min: -5, max: 200 }), fc.double(), fc.integer());
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(schema.items ? valueOf(schema.items, seeds) : anyValue(), { maxLength: 4 });
    case 'object':
      return schema.properties ? mixed(schema, seeds) : fc.dictionary(anyString(), anyValue());
    default:
      return anyValue();
  }
}
