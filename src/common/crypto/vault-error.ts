export type VaultErrorReason =
  | 'no_key'
  | 'dev_key_unreadable'
  | 'invalid_context'
  | 'malformed'
  | 'unknown_key'
  | 'authentication_failed';

/**
 * Any failure to encrypt or decrypt a secret. Fails closed: callers never get partial
 * plaintext. The message names the reason and, at most, the key id and the row context
 * (table, row id, purpose); never plaintext, ciphertext or key material.
 */
export class VaultError extends Error {
  constructor(
    readonly reason: VaultErrorReason,
    message: string,
  ) {
    super(message);
    this.name = 'VaultError';
  }
}
