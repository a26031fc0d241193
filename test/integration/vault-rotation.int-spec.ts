import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadConfig } from '../../src/common/config/load-config.js';
import { checkSecrets, rotateSecrets } from '../../src/common/crypto/rotation.js';
import type { SecretColumnSpec } from '../../src/common/crypto/secret-columns.js';
import { TokenVault } from '../../src/common/crypto/vault.js';
import { createTestDatabase, type TestDatabase, testEnv } from '../support/database.js';

const K1 = `k1:${randomBytes(32).toString('base64')}`;
const K2 = `k2:${randomBytes(32).toString('base64')}`;
const SENTINEL = 'plaintext-sentinel';

function vaultWith(keys: string[], active: string): TokenVault {
  const env = { TOKEN_ENCRYPTION_KEYS: keys.join(','), TOKEN_ENCRYPTION_ACTIVE_KEY: active };
  return new TokenVault(loadConfig(testEnv(env)));
}

const specFor = (table: string): SecretColumnSpec => ({
  table,
  idColumn: 'id',
  columns: [
    { column: 'token', purpose: 'refresh_token' },
    { column: 'other', purpose: 'access_token' },
  ],
});

interface Row {
  id: string;
  token: string | null;
  other: string | null;
}

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});

afterAll(async () => {
  await db?.drop();
});

async function createTable(table: string, idType = 'text'): Promise<void> {
  await db.prisma.$executeRawUnsafe(
    `CREATE TABLE "${table}" (id ${idType} PRIMARY KEY, token text, other text)`,
  );
}

/** Row i holds token i; every other row also holds `other`; the last row holds neither. */
async function seed(table: string, vault: TokenVault, ids: string[]): Promise<void> {
  for (const [i, id] of ids.entries()) {
    const seal = (column: 'token' | 'other', purpose: string) =>
      vault.encrypt(`${SENTINEL}-${column}-${i}`, { table, rowId: id, purpose });
    const last = i === ids.length - 1;
    const token = last ? null : seal('token', 'refresh_token');
    const other = last || i % 2 === 1 ? null : seal('other', 'access_token');
    await db.prisma.$executeRawUnsafe(
      `INSERT INTO "${table}" (id, token, other) VALUES ($1::${idTypeOf(id)}, $2, $3)`,
      id,
      token,
      other,
    );
  }
}

const idTypeOf = (id: string) => (/^[0-9a-f-]{36}$/.test(id) ? 'uuid' : 'text');

async function rowsOf(table: string): Promise<Row[]> {
  return db.prisma.$queryRawUnsafe<Row[]>(
    `SELECT id::text AS id, token, other FROM "${table}" ORDER BY id`,
  );
}

function sealedValues(rows: Row[]): string[] {
  return rows.flatMap((r) => [r.token, r.other]).filter((v): v is string => v !== null);
}

describe('vault key rotation drill (real PostgreSQL)', () => {
  it('moves every secret to the new key, skips NULLs and leaves no plaintext', async () => {
    const table = 'test_secret';
    await createTable(table);
    const ids = Array.from({ length: 11 }, (_, i) => `row-${String(i).padStart(2, '0')}`);
    await seed(table, vaultWith([K1], 'k1'), ids);
    const both = vaultWith([K1, K2], 'k2');

    const [rotation] = await rotateSecrets(db.prisma, both, [specFor(table)], { batchSize: 3 });

    // 10 tokens + 5 others; the last row's two NULLs are not secrets.
    expect(rotation).toEqual({ table, scanned: 15, rotated: 15, failed: 0, failures: [] });
    const rows = await rowsOf(table);
    expect(sealedValues(rows)).toHaveLength(15);
    expect(sealedValues(rows).map((v) => both.keyIdOf(v))).toEqual(Array(15).fill('k2'));
    expect(rows.at(-1)).toEqual({ id: 'row-10', token: null, other: null });

    const onlyK2 = vaultWith([K2], 'k2');
    const report = await checkSecrets(db.prisma, onlyK2, [specFor(table)]);
    expect(report).toMatchObject({ scanned: 15, ok: 15, failed: [], byKeyId: { k2: 15 } });
    const context = { table, rowId: 'row-04', purpose: 'access_token' };
    expect(onlyK2.decrypt(rows[4].other as string, context)).toBe(`${SENTINEL}-other-4`);

    const again = await rotateSecrets(db.prisma, both, [specFor(table)], { batchSize: 3 });
    expect(again[0]).toMatchObject({ scanned: 15, rotated: 0, failed: 0 });

    const dump = await db.prisma.$queryRawUnsafe<{ row: string }[]>(
      `SELECT t::text AS row FROM "${table}" t`,
    );
    expect(dump).toHaveLength(11);
    expect(dump.map((d) => d.row).join('\n')).not.toContain(SENTINEL);
  });

  it('pages through uuid ids', async () => {
    const table = 'test_secret_uuid';
    await createTable(table, 'uuid');
    const ids = Array.from({ length: 7 }, () => randomUUID());
    await seed(table, vaultWith([K1], 'k1'), ids);

    const [rotation] = await rotateSecrets(db.prisma, vaultWith([K1, K2], 'k2'), [specFor(table)], {
      batchSize: 2,
    });
    expect(rotation).toMatchObject({ scanned: 9, rotated: 9, failed: 0 });
    const report = await checkSecrets(db.prisma, vaultWith([K2], 'k2'), [specFor(table)], {
      batchSize: 2,
    });
    expect(report).toMatchObject({ scanned: 9, ok: 9, failed: [] });
  });

  it('reports tampered, moved and malformed secrets and leaves them untouched', async () => {
    const table = 'test_secret_tampered';
    await createTable(table);
    await seed(table, vaultWith([K1], 'k1'), ['a', 'b', 'c', 'd']);
    const before = await rowsOf(table);
    const flipped = flipDataBit(before[0].token as string);
    await db.prisma.$executeRawUnsafe(`UPDATE "${table}" SET token = $1 WHERE id = 'a'`, flipped);
    // A valid ciphertext copied to another row must not decrypt there.
    await db.prisma.$executeRawUnsafe(
      `UPDATE "${table}" SET token = $1 WHERE id = 'b'`,
      before[2].token,
    );
    await db.prisma.$executeRawUnsafe(
      `UPDATE "${table}" SET other = 'not-a-ciphertext' WHERE id = 'c'`,
    );

    const both = vaultWith([K1, K2], 'k2');
    const [rotation] = await rotateSecrets(db.prisma, both, [specFor(table)]);
    expect(rotation).toMatchObject({ scanned: 5, rotated: 2, failed: 3 });

    const report = await checkSecrets(db.prisma, both, [specFor(table)]);
    expect(report.ok).toBe(2);
    expect(report.failed).toEqual([
      { table, id: 'a', column: 'token', keyId: 'k1', reason: 'authentication_failed' },
      { table, id: 'b', column: 'token', keyId: 'k1', reason: 'authentication_failed' },
      { table, id: 'c', column: 'other', keyId: null, reason: 'malformed' },
    ]);
    expect(report.byKeyId).toEqual({ k1: 2, k2: 2 });
    const after = await rowsOf(table);
    expect(after.slice(0, 2).map((r) => r.token)).toEqual([flipped, before[2].token]);
  });
});

/** Flips one bit of the encrypted data, keeping the string well-formed. */
function flipDataBit(sealed: string): string {
  const fields = sealed.split('.');
  const data = Buffer.from(fields[4], 'base64url');
  data[0] ^= 0x01;
  fields[4] = data.toString('base64url');
  return fields.join('.');
}
