import {
  createCipheriv,
  createDecipheriv,
  createSecretKey,
  KeyObject,
  randomBytes,
} from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { FORMAT_VERSION, formatSealed, IV_BYTES, parseSealed, TAG_BYTES } from './ciphertext.js';
import { DEV_KEY_FILE, loadOrCreateDevKey } from './dev-key.js';
import type { KeyRing } from './key-ring.js';
import { VaultError } from './vault-error.js';

/** Where a secret lives and what it is; bound into the ciphertext as associated data. */
export interface SecretContext {
  table: string;
  rowId: string;
  purpose: string;
}

const ALGORITHM = 'aes-256-gcm';

/**
 * AES-256-GCM encryption of stored secrets with a key ring: every configured key decrypts,
 * the active key encrypts. Each ciphertext carries its key id, a fresh random IV and a
 * 16-byte tag; the key id and the secret's context are authenticated as associated data, so
 * a ciphertext copied to another row, column or key id fails to decrypt.
 */
@Injectable()
export class TokenVault {
  private readonly logger = new Logger(TokenVault.name);
  private readonly keys: ReadonlyMap<string, KeyObject>;
  readonly activeKeyId: string;

  constructor(config: AppConfig) {
    const ring = config.vault.ring ?? this.devRing(config);
    this.keys = new Map(ring.keys.map((k) => [k.id, createSecretKey(k.key)]));
    this.activeKeyId = ring.activeKeyId;
    if (!this.keys.has(this.activeKeyId)) {
      throw new VaultError('no_key', `The active key "${this.activeKeyId}" is not in the ring.`);
    }
  }

  encrypt(plaintext: string, context: SecretContext): string {
    assertContext(context);
    const keyId = this.activeKeyId;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.key(keyId), iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(associatedData(keyId, context));
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return formatSealed({ keyId, iv, tag: cipher.getAuthTag(), data });
  }

  decrypt(ciphertext: string, context: SecretContext): string {
    assertContext(context);
    const { keyId, iv, tag, data } = parseSealed(ciphertext);
    const key = this.key(keyId);
    try {
      const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
      decipher.setAuthTag(tag);
      decipher.setAAD(associatedData(keyId, context));
      return Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8');
    } catch {
      const message = `The secret ${describe(context)} failed authentication with key "${keyId}".`;
      throw new VaultError('authentication_failed', message);
    }
  }

  /** Decrypts with whichever key sealed it and seals again with the active key. */
  reencrypt(ciphertext: string, context: SecretContext): string {
    return this.encrypt(this.decrypt(ciphertext, context), context);
  }

  keyIdOf(ciphertext: string): string {
    return parseSealed(ciphertext).keyId;
  }

  needsRotation(ciphertext: string): boolean {
    return this.keyIdOf(ciphertext) !== this.activeKeyId;
  }

  private key(keyId: string): KeyObject {
    const key = this.keys.get(keyId);
    if (!key) throw new VaultError('unknown_key', `No configured key has the id "${keyId}".`);
    return key;
  }

  private devRing(config: AppConfig): KeyRing {
    if (!config.devMode) {
      const message = 'TOKEN_ENCRYPTION_KEYS is required outside sandbox and test mode.';
      throw new VaultError('no_key', message);
    }
    const dev = loadOrCreateDevKey(config.dataPath(DEV_KEY_FILE));
    const how = dev.created ? 'generated' : 'reused';
    this.logger.warn(
      `TOKEN_ENCRYPTION_KEYS is not set: ${how} the development key at ${dev.path}. ` +
        'Secrets encrypted with it are only as safe as that file; never use it in production.',
    );
    return dev.ring;
  }
}

// JSON of a string array is unambiguous: "a:b"+"c" and "a"+"b:c" encode differently.
function associatedData(keyId: string, context: SecretContext): Buffer {
  const fields = [FORMAT_VERSION, keyId, context.table, context.rowId, context.purpose];
  return Buffer.from(JSON.stringify(fields), 'utf8');
}

function assertContext(context: SecretContext): void {
  const fields = [context?.table, context?.rowId, context?.purpose];
  if (fields.every((f) => typeof f === 'string' && f.length > 0)) return;
  throw new VaultError(
    'invalid_context',
    'A secret context needs a table, a row id and a purpose.',
  );
}

function describe(context: SecretContext): string {
  return `${context.table}.${context.purpose} of row ${context.rowId}`;
}
