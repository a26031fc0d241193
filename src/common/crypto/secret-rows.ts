import { Prisma } from '../../generated/prisma/client.js';
import type { SqlRunner } from '../jobs/claim.js';
import type { SecretColumnSpec } from './secret-columns.js';

export interface SecretRow {
  id: string;
  /** One entry per `spec.columns`, in order; null where the column is NULL. */
  values: (string | null)[];
}

export interface PageQuery {
  afterId?: string;
  limit: number;
  forUpdate: boolean;
}

/** A page of rows in id order (keyset pagination). Identifiers come only from a checked spec. */
export async function readSecretPage(
  db: SqlRunner,
  spec: SecretColumnSpec,
  page: PageQuery,
): Promise<SecretRow[]> {
  const id = ident(spec.idColumn);
  const columns = spec.columns.map((c, i) => Prisma.raw(`${quote(c.column)}::text AS s${i}`));
  const after =
    page.afterId === undefined ? Prisma.empty : Prisma.sql`WHERE ${id} > ${page.afterId}`;
  const lock = page.forUpdate ? Prisma.sql`FOR UPDATE` : Prisma.empty;
  const rows = await db.$queryRaw<Record<string, string | null>[]>(Prisma.sql`
    SELECT ${id}::text AS id, ${Prisma.join(columns)}
      FROM ${ident(spec.table)}
      ${after}
     ORDER BY ${id}
     LIMIT ${page.limit}::int
     ${lock}`);
  return rows.map((row) => ({
    id: String(row.id),
    values: spec.columns.map((_, i) => row[`s${i}`] ?? null),
  }));
}

export async function writeSecrets(
  db: SqlRunner,
  spec: SecretColumnSpec,
  rowId: string,
  updates: { column: string; value: string }[],
): Promise<void> {
  const assignments = updates.map((u) => Prisma.sql`${ident(u.column)} = ${u.value}`);
  await db.$executeRaw(Prisma.sql`
    UPDATE ${ident(spec.table)}
       SET ${Prisma.join(assignments)}
     WHERE ${ident(spec.idColumn)} = ${rowId}`);
}

function ident(name: string): Prisma.Sql {
  return Prisma.raw(quote(name));
}

function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
