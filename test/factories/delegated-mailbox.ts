import { randomUUID } from 'node:crypto';
import type { AppConfig } from '../../src/common/config/app-config.js';
import { TokenVault } from '../../src/common/crypto/vault.js';
import type { PrismaService } from '../../src/common/database/prisma.service.js';
import {
  ACCESS_TOKEN_PURPOSE,
  CREDENTIAL_TABLE,
  REFRESH_TOKEN_PURPOSE,
} from '../../src/modules/mailbox/mailbox.secrets.js';
import type { M365Emulator } from '../../src/sandbox/emulator.js';
import { CONTOSO_TENANT_ID, SANDBOX_APP } from '../../src/sandbox/seed.js';

export interface SeededMailbox {
  mailboxId: string;
  msUserId: string;
  email: string;
}

const SCOPES = ['offline_access', 'User.Read', 'Mail.ReadWrite', 'Mail.Send', 'Mail.Send.Shared'];

/**
 * `count` emulator users, each with a refresh token the emulator issued, connected as delegated
 * mailboxes whose access token expires in `expiresInMs` (negative: already expired).
 */
export async function seedDelegatedMailboxes(
  emulator: M365Emulator,
  prisma: PrismaService,
  config: AppConfig,
  count: number,
  options: { workspaceId?: string; expiresInMs?: number; prefix?: string } = {},
): Promise<SeededMailbox[]> {
  const workspaceId = options.workspaceId ?? 'ws-refresh';
  const prefix = options.prefix ?? randomUUID().slice(0, 6);
  const vault = new TokenVault(config);
  await prisma.workspace.createMany({ data: [{ id: workspaceId }], skipDuplicates: true });
  const seeded: SeededMailbox[] = [];
  const expiresAt = new Date(Date.now() + (options.expiresInMs ?? 60_000));
  for (let i = 0; i < count; i += 1) {
    const email = `${prefix}-${i}@contoso.com`;
    const user = emulator.control.addUser(CONTOSO_TENANT_ID, {
      displayName: `Refresh ${i}`,
      mail: email,
    });
    const grant = emulator.store.grants.issueRefreshToken({
      userId: user.id,
      tenantId: CONTOSO_TENANT_ID,
      clientId: SANDBOX_APP.clientId,
      scopes: SCOPES,
    });
    const mailboxId = randomUUID();
    const ctx = (purpose: string) => ({ table: CREDENTIAL_TABLE, rowId: mailboxId, purpose });
    await prisma.mailbox.create({
      data: {
        id: mailboxId,
        workspaceId,
        connectionType: 'delegated',
        tenantId: CONTOSO_TENANT_ID,
        msUserId: user.id,
        email,
        connectedByUserId: 'user-a',
        credential: {
          create: {
            refreshToken: vault.encrypt(grant.token, ctx(REFRESH_TOKEN_PURPOSE)),
            accessToken: vault.encrypt(`expired-access-${i}`, ctx(ACCESS_TOKEN_PURPOSE)),
            accessTokenExpiresAt: expiresAt,
            scopes: SCOPES.join(' '),
          },
        },
      },
    });
    seeded.push({ mailboxId, msUserId: user.id, email });
  }
  return seeded;
}

export function openRefreshToken(config: AppConfig, mailboxId: string, ciphertext: string): string {
  return new TokenVault(config).decrypt(ciphertext, {
    table: CREDENTIAL_TABLE,
    rowId: mailboxId,
    purpose: REFRESH_TOKEN_PURPOSE,
  });
}
