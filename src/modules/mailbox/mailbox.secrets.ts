import type { SecretColumnSpec } from '../../common/crypto/secret-columns.js';

export const CREDENTIAL_TABLE = 'mailbox_credential';
export const REFRESH_TOKEN_PURPOSE = 'ms_refresh_token';
export const ACCESS_TOKEN_PURPOSE = 'ms_access_token';

/** Where mailbox secrets live, for `npm run keys:rotate` / `keys:check`. */
export const MAILBOX_SECRET_COLUMNS: SecretColumnSpec = {
  table: CREDENTIAL_TABLE,
  idColumn: 'mailbox_id',
  columns: [
    { column: 'refresh_token', purpose: REFRESH_TOKEN_PURPOSE },
    { column: 'access_token', purpose: ACCESS_TOKEN_PURPOSE },
  ],
};
