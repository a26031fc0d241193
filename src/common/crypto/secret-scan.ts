import type { SecretColumnSpec } from './secret-columns.js';
import type { SecretRow } from './secret-rows.js';
import type { SecretContext, TokenVault } from './vault.js';
import { VaultError, type VaultErrorReason } from './vault-error.js';

/** A secret that could not be decrypted. Ids and key ids only; never the value. */
export interface SecretFailure {
  table: string;
  id: string;
  column: string;
  /** Null when the stored value is not a vault ciphertext at all. */
  keyId: string | null;
  reason: VaultErrorReason;
}

/** Calls `visit` for each non-null secret of a row, with the context it was sealed under. */
export function forEachSecret(
  spec: SecretColumnSpec,
  row: SecretRow,
  visit: (column: string, sealed: string, context: SecretContext) => void,
): void {
  spec.columns.forEach(({ column, purpose }, i) => {
    const sealed = row.values[i];
    if (sealed === null) return;
    visit(column, sealed, { table: spec.table, rowId: row.id, purpose });
  });
}

/** Runs a vault operation; a VaultError becomes the returned value, anything else is thrown. */
export function attempt(operation: () => string): string | VaultError {
  try {
    return operation();
  } catch (error) {
    if (error instanceof VaultError) return error;
    throw error;
  }
}

export function keyIdOrNull(vault: TokenVault, sealed: string): string | null {
  const outcome = attempt(() => vault.keyIdOf(sealed));
  return typeof outcome === 'string' ? outcome : null;
}

export function failure(
  vault: TokenVault,
  spec: SecretColumnSpec,
  id: string,
  column: string,
  sealed: string,
  error: VaultError,
): SecretFailure {
  const keyId = keyIdOrNull(vault, sealed);
  return { table: spec.table, id, column, keyId, reason: error.reason };
}
