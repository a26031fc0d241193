import { registerSecretColumns, type SecretColumnSpec } from '../common/crypto/secret-columns.js';
import { MAILBOX_SECRET_COLUMNS } from '../modules/mailbox/mailbox.secrets.js';

/**
 * Every table that stores vault ciphertexts, for `keys:rotate` and `keys:check`.
 *
 * A module that stores secrets exports its spec from `<module>.secrets.ts`, e.g.
 * `export const mailboxCredentialSecrets: SecretColumnSpec = { table: 'mailbox_credential',
 * idColumn: 'id', columns: [{ column: 'refresh_token', purpose: 'refresh_token' }, …] }`,
 * and is added to this list. The `purpose` must be the one the module passes to the vault.
 * A secret column missing here is never rotated and becomes unreadable once its old key is
 * removed from TOKEN_ENCRYPTION_KEYS.
 *
 */
export const SECRET_COLUMN_SPECS: readonly SecretColumnSpec[] = [MAILBOX_SECRET_COLUMNS];

export function registerAllSecretColumns(): void {
  SECRET_COLUMN_SPECS.forEach(registerSecretColumns);
}
