import type { SecretColumnSpec } from '../../common/crypto/secret-columns.js';
import type { TokenVault } from '../../common/crypto/vault.js';
import type { TokenSet } from '../../common/microsoft/identity-platform.client.js';
import type { SealedTokens } from './mailbox.repository.js';
import { scheduledRefreshAt } from './mailbox.rules.js';

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

/** Encrypts a token set for its credential row, with its issue time and scheduled refresh. */
export function sealTokens(
  vault: TokenVault,
  mailboxId: string,
  tokens: TokenSet,
  issuedAt: Date,
): SealedTokens {
  const ctx = (purpose: string) => ({ table: CREDENTIAL_TABLE, rowId: mailboxId, purpose });
  return {
    accessToken: vault.encrypt(tokens.accessToken, ctx(ACCESS_TOKEN_PURPOSE)),
    refreshToken: tokens.refreshToken
      ? vault.encrypt(tokens.refreshToken, ctx(REFRESH_TOKEN_PURPOSE))
      : null,
    accessTokenExpiresAt: tokens.expiresAt,
    accessTokenIssuedAt: issuedAt,
    nextRefreshAt: scheduledRefreshAt(issuedAt, tokens.expiresAt),
    scopes: tokens.scope,
  };
}

export function openSecret(
  vault: TokenVault,
  mailboxId: string,
  ciphertext: string,
  purpose: string,
): string {
  return vault.decrypt(ciphertext, { table: CREDENTIAL_TABLE, rowId: mailboxId, purpose });
}
