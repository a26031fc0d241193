import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PassThrough } from 'node:stream';
import { TokenVault } from '../../src/common/crypto/vault.js';
import { MailboxRefreshJob } from '../../src/modules/mailbox/mailbox-refresh.job.js';
import {
  ACCESS_TOKEN_PURPOSE,
  CREDENTIAL_TABLE,
} from '../../src/modules/mailbox/mailbox.secrets.js';
import { ADELE, SANDBOX_APP } from '../../src/sandbox/seed.js';
import { openRefreshToken } from '../factories/delegated-mailbox.js';
import {
  call,
  connectJourney,
  createSandboxApp,
  type SandboxApp,
  sandboxToken,
} from '../support/sandbox-app.js';

/**
 * Sentinels: the real secrets of a connect and a refresh run — every refresh and access token
 * the emulator issued to us, the authorization code, the client secret — searched for in every
 * API body, every log line (debug level), every audit row and every event payload.
 */
describe('no secret anywhere (e2e: connect and refresh with sentinel values)', () => {
  let t: SandboxApp;
  const logs: string[] = [];
  const bodies: string[] = [];

  beforeAll(async () => {
    const stream = new PassThrough();
    stream.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
    t = await createSandboxApp({ LOG_LEVEL: 'debug' }, { logDestination: stream });
  });
  afterAll(() => t.close());

  it('keeps tokens, codes and the client secret out of bodies, logs, audit rows and events', async () => {
    const token = await sandboxToken(t);
    const run = await connectJourney(t, token, ADELE.id);
    const mailboxId = run.landed.searchParams.get('connected') as string;
    const code = new URL(run.callbackUrl as string).searchParams.get('code') as string;
    for (const path of ['/v1/mailboxes', `/v1/mailboxes/${mailboxId}`]) {
      bodies.push((await call(t, 'GET', path, { token })).body);
    }
    const accessTokens = [await heldAccessToken(mailboxId)];
    // A failing refresh and a successful one, both logged.
    t.emulator.control.failNext({
      method: 'POST',
      path: '/*/oauth2/v2.0/token',
      status: 503,
      body: { error: 'temporarily_unavailable' },
    });
    await t.db.prisma.mailboxCredential.update({
      where: { mailboxId },
      data: { accessTokenExpiresAt: new Date() },
    });
    const job = t.app.get(MailboxRefreshJob);
    expect((await job.sweep()).retry).toBe(1);
    await t.db.prisma.mailboxCredential.update({
      where: { mailboxId },
      data: { nextRefreshAt: null },
    });
    expect((await job.sweep()).refreshed).toBe(1);

    const refreshTokens = t.emulator.store.grants.listRefreshTokens(ADELE.id).map((g) => g.token);
    const cred = await t.db.prisma.mailboxCredential.findUniqueOrThrow({ where: { mailboxId } });
    expect(refreshTokens).toContain(
      openRefreshToken(t.db.config, mailboxId, cred.refreshToken as string),
    );
    accessTokens.push(await heldAccessToken(mailboxId));
    expect(accessTokens[1]).not.toBe(accessTokens[0]);
    const sentinels = [...refreshTokens, ...accessTokens, code, SANDBOX_APP.clientSecret];
    expect(sentinels.length).toBeGreaterThanOrEqual(5);

    const audit = JSON.stringify(await t.db.prisma.auditLog.findMany());
    const events = JSON.stringify(await t.db.prisma.outboxEvent.findMany());
    const everything = { bodies: bodies.join('\n'), logs: logs.join(''), audit, events };
    expect(logs.length).toBeGreaterThan(5);
    for (const [where, text] of Object.entries(everything)) {
      for (const secret of sentinels) {
        if (text.includes(secret)) throw new Error(`a secret leaked into ${where}`);
        // Also the long middle of a secret (a partial or re-encoded leak).
        expect(text.includes(secret.slice(10, 40))).toBe(false);
      }
    }
  });

  /** The access token the service holds for the mailbox right now. */
  async function heldAccessToken(mailboxId: string): Promise<string> {
    const row = await t.db.prisma.mailboxCredential.findUniqueOrThrow({ where: { mailboxId } });
    const context = { table: CREDENTIAL_TABLE, rowId: mailboxId, purpose: ACCESS_TOKEN_PURPOSE };
    return new TokenVault(t.db.config).decrypt(row.accessToken as string, context);
  }
});
