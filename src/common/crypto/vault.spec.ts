import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { loadConfig } from '../config/load-config.js';
import { DEV_KEY_FILE } from './dev-key.js';
import { type SecretContext, TokenVault } from './vault.js';
import { VaultError, type VaultErrorReason } from './vault-error.js';

const K1 = randomBytes(32).toString('base64');
const K2 = randomBytes(32).toString('base64');
const CONTEXT: SecretContext = { table: 'mailbox_credential', rowId: 'row-1', purpose: 'refresh' };
const SECRET = 'refresh-token-sentinel-4f1c';
const warnings: string[] = [];
let dataDir: string;

function configWith(keys: string | undefined, active?: string, dir = dataDir): AppConfig {
  return loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dir,
    TOKEN_ENCRYPTION_KEYS: keys,
    TOKEN_ENCRYPTION_ACTIVE_KEY: active,
  });
}

function vaultWith(keys: string, active?: string): TokenVault {
  return new TokenVault(configWith(keys, active));
}

/** Replaces field `index` of `v1.keyId.iv.tag.ct` after decoding it and flipping one bit. */
function flipByte(sealed: string, index: 2 | 3 | 4, byte = 0): string {
  const fields = sealed.split('.');
  const bytes = Buffer.from(fields[index], 'base64url');
  bytes[byte] ^= 0x01;
  fields[index] = bytes.toString('base64url');
  return fields.join('.');
}

function withField(sealed: string, index: number, value: string): string {
  const fields = sealed.split('.');
  fields[index] = value;
  return fields.join('.');
}

function vaultFailure(operation: () => unknown): VaultError {
  try {
    operation();
  } catch (error) {
    if (error instanceof VaultError) return error;
    throw error;
  }
  throw new Error('expected a VaultError, but the operation succeeded');
}

function expectFailure(operation: () => unknown, reason: VaultErrorReason): void {
  const error = vaultFailure(operation);
  expect(error.reason).toBe(reason);
  expect(error.message).not.toContain(SECRET);
  expect(error.message).not.toContain(K1);
  expect(error.message).not.toContain(K2);
}

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'vault-spec-'));
  const capture = (message: unknown) => void warnings.push(String(message));
  Logger.overrideLogger({ log: capture, warn: capture, error: capture });
});

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('TokenVault', () => {
  const vault = () => vaultWith(`k1:${K1}`);

  it('round-trips a secret and stores the key id in a compact ASCII string', () => {
    const v = vault();
    const sealed = v.encrypt(SECRET, CONTEXT);
    expect(sealed).toMatch(/^v1\.k1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain(SECRET);
    expect(v.keyIdOf(sealed)).toBe('k1');
    expect(v.decrypt(sealed, CONTEXT)).toBe(SECRET);
  });

  it('round-trips empty and non-ASCII plaintexts', () => {
    const v = vault();
    for (const text of ['', 'päßwörd ✉ 🔑', 'x'.repeat(10_000)]) {
      expect(v.decrypt(v.encrypt(text, CONTEXT), CONTEXT)).toBe(text);
    }
  });

  it('uses a fresh IV for every encryption', () => {
    const v = vault();
    const sealed = Array.from({ length: 500 }, () => v.encrypt(SECRET, CONTEXT));
    expect(new Set(sealed.map((s) => s.split('.')[2])).size).toBe(500);
    expect(new Set(sealed).size).toBe(500);
  });

  it.each([
    ['IV', 2],
    ['tag', 3],
    ['ciphertext', 4],
  ] as const)('fails closed when a byte of the %s is flipped', (_name, index) => {
    const v = vault();
    const sealed = v.encrypt(SECRET, CONTEXT);
    expectFailure(() => v.decrypt(flipByte(sealed, index), CONTEXT), 'authentication_failed');
  });

  it('fails closed when the last byte of the ciphertext is flipped', () => {
    const v = vault();
    const sealed = v.encrypt(SECRET, CONTEXT);
    const last = Buffer.from(sealed.split('.')[4], 'base64url').length - 1;
    expectFailure(() => v.decrypt(flipByte(sealed, 4, last), CONTEXT), 'authentication_failed');
  });

  it('binds the key id: relabelling a ciphertext to another id of the same key fails', () => {
    const v = vaultWith(`a:${K1},b:${K1}`, 'a');
    const sealed = v.encrypt(SECRET, CONTEXT);
    expectFailure(() => v.decrypt(withField(sealed, 1, 'b'), CONTEXT), 'authentication_failed');
  });

  it('fails on an unknown key id', () => {
    const v = vault();
    const sealed = v.encrypt(SECRET, CONTEXT);
    expectFailure(() => v.decrypt(withField(sealed, 1, 'k9'), CONTEXT), 'unknown_key');
    expectFailure(() => vaultWith(`k2:${K2}`).decrypt(sealed, CONTEXT), 'unknown_key');
  });

  it.each([
    ['table', { ...CONTEXT, table: 'other_table' }],
    ['row id', { ...CONTEXT, rowId: 'row-2' }],
    ['purpose', { ...CONTEXT, purpose: 'access' }],
  ])('fails when decrypted with another %s', (_name, context) => {
    const v = vault();
    const sealed = v.encrypt(SECRET, CONTEXT);
    expectFailure(() => v.decrypt(sealed, context), 'authentication_failed');
  });

  it('encodes the context unambiguously', () => {
    const v = vault();
    const sealed = v.encrypt(SECRET, { table: 'a', rowId: 'b:c', purpose: 'p' });
    const shifted = { table: 'a:b', rowId: 'c', purpose: 'p' };
    expectFailure(() => v.decrypt(sealed, shifted), 'authentication_failed');
  });

  it('rejects an incomplete context', () => {
    const v = vault();
    expectFailure(() => v.encrypt(SECRET, { ...CONTEXT, rowId: '' }), 'invalid_context');
    const sealed = v.encrypt(SECRET, CONTEXT);
    const partial = { table: CONTEXT.table } as SecretContext;
    expectFailure(() => v.decrypt(sealed, partial), 'invalid_context');
  });

  it('rejects malformed ciphertexts', () => {
    const v = vault();
    const sealed = v.encrypt(SECRET, CONTEXT);
    const [, , iv, tag] = sealed.split('.');
    const malformed = [
      '',
      SECRET,
      'v1',
      'v1....',
      withField(sealed, 0, 'v2'),
      `${sealed}.extra`,
      withField(sealed, 1, ''),
      withField(sealed, 1, 'k 1'),
      withField(sealed, 2, iv.slice(1)),
      withField(sealed, 2, `${iv}AAAA`),
      withField(sealed, 3, tag.slice(2)),
      withField(sealed, 3, `${tag}==`),
      withField(sealed, 3, `${tag.slice(0, -1)}+`),
      withField(sealed, 4, '***'),
      null as unknown as string,
    ];
    for (const input of malformed) {
      expectFailure(() => v.decrypt(input, CONTEXT), 'malformed');
      expectFailure(() => v.keyIdOf(input), 'malformed');
    }
  });

  it('rejects a non-canonical base64url spelling of the same tag', () => {
    const v = vault();
    const sealed = v.encrypt(SECRET, CONTEXT);
    const tag = sealed.split('.')[3];
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const sibling = alphabet[alphabet.indexOf(tag.at(-1) as string) ^ 1];
    const respelled = `${tag.slice(0, -1)}${sibling}`;
    expect(Buffer.from(respelled, 'base64url')).toEqual(Buffer.from(tag, 'base64url'));
    expectFailure(() => v.decrypt(withField(sealed, 3, respelled), CONTEXT), 'malformed');
  });

  it('decrypts old-key ciphertexts after a new key becomes active', () => {
    const old = vaultWith(`k1:${K1}`).encrypt(SECRET, CONTEXT);
    const ring = vaultWith(`k1:${K1},k2:${K2}`, 'k2');
    expect(ring.decrypt(old, CONTEXT)).toBe(SECRET);
    expect(ring.needsRotation(old)).toBe(true);
    const fresh = ring.encrypt(SECRET, CONTEXT);
    expect(ring.keyIdOf(fresh)).toBe('k2');
    expect(ring.needsRotation(fresh)).toBe(false);
    const rotated = ring.reencrypt(old, CONTEXT);
    expect(ring.keyIdOf(rotated)).toBe('k2');
    expect(vaultWith(`k2:${K2}`).decrypt(rotated, CONTEXT)).toBe(SECRET);
  });
});

describe('TokenVault dev key', () => {
  it('is generated once under DATA_DIR with mode 0600 and reused', () => {
    const dir = join(dataDir, 'nested', 'data');
    const path = join(dir, DEV_KEY_FILE);
    warnings.length = 0;
    const first = new TokenVault(configWith(undefined, undefined, dir));
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const content = readFileSync(path, 'utf8');
    const sealed = first.encrypt(SECRET, CONTEXT);
    const second = new TokenVault(configWith(undefined, undefined, dir));
    expect(second.decrypt(sealed, CONTEXT)).toBe(SECRET);
    expect(readFileSync(path, 'utf8')).toBe(content);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain('generated');
    expect(warnings[1]).toContain('reused');
    expect(warnings.join('\n')).not.toContain(content.trim().split(':')[1]);
  });

  it('is refused outside sandbox and test mode', () => {
    const dir = join(dataDir, 'production');
    const test = configWith(undefined, undefined, dir);
    const production = new AppConfig({ ...test, env: 'production', sandbox: false } as AppConfig);
    expect(production.devMode).toBe(false);
    expectFailure(() => new TokenVault(production), 'no_key');
    expect(existsSync(join(dir, DEV_KEY_FILE))).toBe(false);
  });

  it('reports an unreadable dev key file without printing it', () => {
    const dir = join(dataDir, 'broken');
    new TokenVault(configWith(undefined, undefined, dir));
    const path = join(dir, DEV_KEY_FILE);
    writeFileSync(path, 'dev:c2hvcnQ=\n', { mode: 0o600 });
    const error = vaultFailure(() => new TokenVault(configWith(undefined, undefined, dir)));
    expect(error.reason).toBe('dev_key_unreadable');
    expect(error.message).not.toContain('c2hvcnQ');
  });
});
