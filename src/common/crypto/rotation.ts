import type { PrismaService } from '../database/prisma.service.js';
import type { SqlRunner } from '../jobs/claim.js';
import { assertSpec, type SecretColumnSpec } from './secret-columns.js';
import { readSecretPage, type SecretRow, writeSecrets } from './secret-rows.js';
import { attempt, failure, forEachSecret, keyIdOrNull, type SecretFailure } from './secret-scan.js';
import type { TokenVault } from './vault.js';

export type { SecretFailure } from './secret-scan.js';

/** Counts are of non-null secret values (cells), not rows. */
export interface TableRotation {
  table: string;
  scanned: number;
  rotated: number;
  failed: number;
  failures: SecretFailure[];
}

export interface CheckReport {
  scanned: number;
  ok: number;
  failed: SecretFailure[];
  /** Non-null values per key id that sealed them (malformed values are not counted). */
  byKeyId: Record<string, number>;
  byTable: Record<string, { scanned: number; ok: number; failed: number }>;
}

const TRANSACTION_TIMEOUT_MS = 60_000;

/**
 * Re-encrypts every non-null secret not sealed by the active key. Rows are walked in id
 * order, one transaction per batch, locked FOR UPDATE so a concurrent writer (token refresh)
 * waits instead of being overwritten. A value that does not decrypt is left as it is and
 * reported.
 */
export async function rotateSecrets(
  prisma: PrismaService,
  vault: TokenVault,
  specs: SecretColumnSpec[],
  options: { batchSize?: number } = {},
): Promise<TableRotation[]> {
  specs.forEach(assertSpec);
  const limit = batchSizeOf(options, 100);
  const reports: TableRotation[] = [];
  for (const spec of specs) reports.push(await rotateTable(prisma, vault, spec, limit));
  return reports;
}

async function rotateTable(
  prisma: PrismaService,
  vault: TokenVault,
  spec: SecretColumnSpec,
  limit: number,
): Promise<TableRotation> {
  const report: TableRotation = {
    table: spec.table,
    scanned: 0,
    rotated: 0,
    failed: 0,
    failures: [],
  };
  let afterId: string | undefined;
  for (;;) {
    const page = { afterId, limit, forUpdate: true };
    const rows = await prisma.$transaction((tx) => rotateBatch(tx, vault, spec, page, report), {
      timeout: TRANSACTION_TIMEOUT_MS,
    });
    if (rows.length < limit) return report;
    afterId = rows[rows.length - 1].id;
  }
}

async function rotateBatch(
  tx: SqlRunner,
  vault: TokenVault,
  spec: SecretColumnSpec,
  page: { afterId?: string; limit: number; forUpdate: boolean },
  report: TableRotation,
): Promise<SecretRow[]> {
  const rows = await readSecretPage(tx, spec, page);
  for (const row of rows) {
    const updates: { column: string; value: string }[] = [];
    forEachSecret(spec, row, (column, sealed, context) => {
      report.scanned += 1;
      if (!isRotatable(vault, sealed)) return;
      const outcome = attempt(() => vault.reencrypt(sealed, context));
      if (typeof outcome === 'string') updates.push({ column, value: outcome });
      else report.failures.push(failure(vault, spec, row.id, column, sealed, outcome));
    });
    if (updates.length > 0) await writeSecrets(tx, spec, row.id, updates);
    report.rotated += updates.length;
  }
  report.failed = report.failures.length;
  return rows;
}

/** Decrypts every non-null secret with the configured ring, without changing anything. */
export async function checkSecrets(
  prisma: PrismaService,
  vault: TokenVault,
  specs: SecretColumnSpec[],
  options: { batchSize?: number } = {},
): Promise<CheckReport> {
  specs.forEach(assertSpec);
  const limit = batchSizeOf(options, 500);
  const report: CheckReport = { scanned: 0, ok: 0, failed: [], byKeyId: {}, byTable: {} };
  for (const spec of specs) {
    const table = await checkTable(prisma, vault, spec, limit, report);
    report.byTable[spec.table] = table;
    report.scanned += table.scanned;
    report.ok += table.ok;
  }
  return report;
}

async function checkTable(
  prisma: PrismaService,
  vault: TokenVault,
  spec: SecretColumnSpec,
  limit: number,
  report: CheckReport,
): Promise<CheckReport['byTable'][string]> {
  const table = { scanned: 0, ok: 0, failed: 0 };
  let afterId: string | undefined;
  for (;;) {
    const rows = await readSecretPage(prisma, spec, { afterId, limit, forUpdate: false });
    for (const row of rows) {
      forEachSecret(spec, row, (column, sealed, context) => {
        table.scanned += 1;
        countKeyId(report.byKeyId, vault, sealed);
        const outcome = attempt(() => vault.decrypt(sealed, context));
        if (typeof outcome === 'string') {
          table.ok += 1;
          return;
        }
        table.failed += 1;
        report.failed.push(failure(vault, spec, row.id, column, sealed, outcome));
      });
    }
    if (rows.length < limit) return table;
    afterId = rows[rows.length - 1].id;
  }
}

// A malformed value (no key id) counts as rotatable so that reencrypt fails and reports it.
function isRotatable(vault: TokenVault, sealed: string): boolean {
  return keyIdOrNull(vault, sealed) !== vault.activeKeyId;
}

function countKeyId(counts: Record<string, number>, vault: TokenVault, sealed: string): void {
  const keyId = keyIdOrNull(vault, sealed);
  if (keyId !== null) counts[keyId] = (counts[keyId] ?? 0) + 1;
}

function batchSizeOf(options: { batchSize?: number }, fallback: number): number {
  const size = options.batchSize ?? fallback;
  if (Number.isInteger(size) && size > 0) return size;
  throw new RangeError(`The batch size must be a positive integer, got ${size}.`);
}
