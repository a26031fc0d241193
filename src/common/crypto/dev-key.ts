import { randomBytes } from 'node:crypto';
import { loadOrCreateLocalSecret } from '../config/local-secret.js';
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
  const { value, created } = loadOrCreateLocalSecret(
    path,
    () => `${DEV_KEY_ID}:${randomBytes(32).toString('base64')}`,
  );
  const { ring, problems } = parseKeyRing(value, undefined);
  if (!ring) {
    const detail = problems.map((p) => p.message).join('; ') || 'the file is empty';
    throw new VaultError('dev_key_unreadable', `The dev key file ${path} is invalid: ${detail}.`);
  }
  return { ring, path, created };
}
