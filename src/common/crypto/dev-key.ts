import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { type KeyRing, parseKeyRing } from './key-ring.js';
import { VaultError } from './vault-error.js';

export const DEV_KEY_FILE = 'vault-dev-key';
export const DEV_KEY_ID = 'dev';

export interface DevKey {
  ring: KeyRing;
  path: string;
  /** True when this call generated the file, false when an existing one was reused. */
  created: boolean;
}

/**
 * Loads the sandbox/test key from `path`, generating it on first use. The file holds one
 * `id:base64key` entry (the TOKEN_ENCRYPTION_KEYS format, so it can be carried over) with
 * mode 0600. Creation is atomic and exclusive: concurrent starts end up sharing one key.
 */
export function loadOrCreateDevKey(path: string): DevKey {
  const created = createIfMissing(path);
  const { ring, problems } = parseKeyRing(readFileSync(path, 'utf8').trim(), undefined);
  if (!ring) {
    const detail = problems.map((p) => p.message).join('; ') || 'the file is empty';
    throw new VaultError('dev_key_unreadable', `The dev key file ${path} is invalid: ${detail}.`);
  }
  return { ring, path, created };
}

function createIfMissing(path: string): boolean {
  if (existsSync(path)) return false;
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const entry = `${DEV_KEY_ID}:${randomBytes(32).toString('base64')}\n`;
  writeFileSync(temp, entry, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(temp, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkSync(temp);
  }
}
