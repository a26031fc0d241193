/** Where a module stores vault ciphertexts, so rotation and checks can find every secret. */
export interface SecretColumnSpec {
  /** Table name as in the database (the Prisma `@@map` name). */
  table: string;
  /** Primary key column; its value is the `rowId` of each secret's context. */
  idColumn: string;
  /** Text columns holding ciphertexts (NULL allowed) and the `purpose` each was sealed with. */
  columns: { column: string; purpose: string }[];
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const registry = new Map<string, SecretColumnSpec>();

/**
 * Registers a table's secret columns. Identifiers are checked here because they end up in
 * SQL text; registering the same spec again is a no-op, a conflicting one throws.
 */
export function registerSecretColumns(spec: SecretColumnSpec): void {
  assertSpec(spec);
  const existing = registry.get(spec.table);
  if (existing && JSON.stringify(existing) !== JSON.stringify(spec)) {
    throw new Error(`Secret columns of table "${spec.table}" are already registered differently.`);
  }
  registry.set(spec.table, structuredClone(spec));
}

export function registeredSecretColumns(): SecretColumnSpec[] {
  return [...registry.values()].map((spec) => structuredClone(spec));
}

export function assertSpec(spec: SecretColumnSpec): void {
  const names = [spec.table, spec.idColumn, ...spec.columns.map((c) => c.column)];
  const bad = names.find((name) => !IDENTIFIER.test(name));
  if (bad !== undefined)
    throw new Error(`"${bad}" is not a plain SQL identifier (letters, digits, _).`);
  if (spec.columns.length === 0) throw new Error(`Table "${spec.table}" lists no secret columns.`);
  if (spec.columns.some((c) => !c.purpose)) {
    throw new Error(`Every secret column of "${spec.table}" needs a purpose.`);
  }
}
