import { randomUUID } from 'node:crypto';
import { Prisma } from '../../generated/prisma/client.js';

/** Anything that can run raw SQL: the PrismaService or a transaction client. */
export interface SqlRunner {
  $queryRaw<T = unknown>(query: Prisma.Sql): Promise<T>;
  $executeRaw(query: Prisma.Sql): Promise<number>;
}

export interface ClaimSpec {
  /** Table name (a constant from code, never user input). */
  table: string;
  /** Primary key column (default `id`). */
  idColumn?: string;
  /** Extra SQL condition for due rows, e.g. Prisma.sql`status = 'pending' AND next_attempt_at <= now()`. */
  due: Prisma.Sql;
  /** ORDER BY expression, e.g. Prisma.sql`next_attempt_at`. */
  order: Prisma.Sql;
  limit: number;
  /** How long the claim holds; after it, another worker may take the row again. */
  leaseMs: number;
  /** Identifies the worker in `locked_by` (for operators). */
  owner: string;
}

/** A unique worker name for this process, used as the lease owner. */
export const WORKER_ID = `${process.pid}-${randomUUID().slice(0, 8)}`;

/**
 * Claims up to `limit` due rows by leasing them (`locked_until`, `locked_by`) in one
 * statement with FOR UPDATE SKIP LOCKED, so any number of instances never take the same row
 * while its lease holds. Returns the claimed ids; the caller processes them outside any
 * transaction and clears the lease when done.
 */
export async function claimDue(db: SqlRunner, spec: ClaimSpec): Promise<string[]> {
  const table = Prisma.raw(quote(spec.table));
  const id = Prisma.raw(quote(spec.idColumn ?? 'id'));
  const rows = await db.$queryRaw<{ id: string }[]>(Prisma.sql`
    UPDATE ${table} AS t
       SET locked_until = now() + make_interval(secs => ${spec.leaseMs / 1000}::double precision),
           locked_by = ${spec.owner}
     WHERE t.${id} IN (
       SELECT ${id} FROM ${table}
        WHERE (${spec.due})
          AND (locked_until IS NULL OR locked_until < now())
        ORDER BY ${spec.order}
        LIMIT ${spec.limit}::int
        FOR UPDATE SKIP LOCKED)
    RETURNING t.${id}::text AS id`);
  return rows.map((row) => row.id);
}

function quote(identifier: string): string {
  return `"${identifier.replace(/"/g, '')}"`;
}
