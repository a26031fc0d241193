/** The parts of an OpenAPI 3 document the fuzzer reads. */
export interface Schema {
  $ref?: string;
  type?: string;
  enum?: unknown[];
  format?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  nullable?: boolean;
  items?: Schema;
  oneOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  schema?: Schema;
}

interface RawOperation {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  security?: unknown[];
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, RawOperation>>;
  components?: { schemas?: Record<string, Schema> };
}

export interface Operation {
  method: string;
  /** The path template, e.g. `/v1/mailboxes/{id}`. */
  path: string;
  pathParams: string[];
  query: { name: string; schema: Schema }[];
  headers: string[];
  body?: Schema;
}

const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);

/** Every route and method of the document, with $refs of request bodies resolved. */
export function operationsOf(doc: OpenApiDocument): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.has(method))
      .map(([method, op]) => toOperation(doc, path, method, op)),
  );
}

function toOperation(doc: OpenApiDocument, path: string, method: string, op: RawOperation) {
  const params = op.parameters ?? [];
  const body = op.requestBody?.content?.['application/json']?.schema;
  return {
    method: method.toUpperCase(),
    path,
    pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
    query: params
      .filter((p) => p.in === 'query')
      .map((p) => ({ name: p.name, schema: resolve(doc, p.schema ?? {}) })),
    headers: [...new Set(params.filter((p) => p.in === 'header').map((p) => p.name.toLowerCase()))],
    body: body && resolve(doc, body),
  };
}

/** Inlines `$ref`s (the document has no recursive schemas). */
export function resolve(doc: OpenApiDocument, schema: Schema): Schema {
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    return resolve(doc, doc.components?.schemas?.[name] ?? {});
  }
  const out: Schema = { ...schema };
  if (schema.items) out.items = resolve(doc, schema.items);
  if (schema.oneOf) out.oneOf = schema.oneOf.map((s) => resolve(doc, s));
  if (schema.properties) {
    out.properties = Object.fromEntries(
      Object.entries(schema.properties).map(([k, s]) => [k, resolve(doc, s)]),
    );
  }
  return out;
}
