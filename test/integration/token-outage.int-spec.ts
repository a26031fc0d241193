import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { MailboxTokenUnavailableError } from '../../src/modules/mailbox/mailbox.errors.js';
import { MailboxRefreshJob } from '../../src/modules/mailbox/mailbox-refresh.job.js';
import { MailboxTokenService } from '../../src/modules/mailbox/mailbox-token.service.js';
import type { FaultRuleSpec } from '../../src/sandbox/store/faults.js';
import { seedDelegatedMailboxes } from '../factories/delegated-mailbox.js';
import { call, createSandboxApp, type SandboxApp, sandboxToken } from '../support/sandbox-app.js';

const WORKSPACE = 'ws-outage';
const TOKEN_PATH = '/*/oauth2/v2.0/token';

interface MailboxBody {
  status: string;
  statusReason: string | null;
  statusReasonSince: string | null;
  tokenRefreshedAt: string | null;
}

describe('issue 10.3 token endpoint failures, mailbox side', () => {
  let t: SandboxApp;
  let bearer: string;

  beforeAll(async () => {
    t = await createSandboxApp();
    bearer = await sandboxToken(t, 'user-a', WORKSPACE);
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    t.emulator.control.clearFaults();
    t.emulator.control.clearLogs();
    await t.db.prisma.mailbox.deleteMany();
  });

  const job = () => t.app.get(MailboxRefreshJob);
  const tokens = () => t.app.get(MailboxTokenService);
  // The request log, not the token log: it also counts requests answered by an injected fault.
  const tokenCalls = () =>
    t.emulator.control.requestLog({ method: 'POST', path: '/oauth2/v2.0/token' });
  const seed = async (expiresInMs: number) =>
    (
      await seedDelegatedMailboxes(t.emulator, t.db.prisma, t.db.config, 1, {
        workspaceId: WORKSPACE,
        expiresInMs,
      })
    )[0];
  const getMailbox = async (id: string) => {
    const res = await call(t, 'GET', `/v1/mailboxes/${id}`, { token: bearer });
    expect(res.status).toBe(200);
    return res.json<MailboxBody>();
  };
  const credential = (mailboxId: string) =>
    t.db.prisma.mailboxCredential.findUniqueOrThrow({ where: { mailboxId } });
  const fault = (over: Partial<FaultRuleSpec>) =>
    t.emulator.control.addFault({ method: 'POST', path: TOKEN_PATH, times: 1, ...over });

  it.each([
    ['429', { response: { status: 429, body: { error: 'temporarily_unavailable' } } }],
    ['500', { response: { status: 500, body: { error: 'server_error' } } }],
    ['503', { response: { status: 503, body: { error: 'temporarily_unavailable' } } }],
    ['a dropped connection', { drop: 'before' as const }],
  ])(
    'issue 10.3 %s from the token endpoint: active, shows token_refresh_failing',
    async (_n, f) => {
      const m = await seed(-1000);
      fault(f);
      const before = Date.now();
      expect((await job().sweep()).retry).toBe(1);
      const body = await getMailbox(m.mailboxId);
      expect(body).toMatchObject({ status: 'active', statusReason: 'token_refresh_failing' });
      expect(Date.parse(body.statusReasonSince as string)).toBeGreaterThanOrEqual(before - 5);
    },
  );

  it.each(['invalid_grant', 'interaction_required', 'consent_required'])(
    'issue 10.3 %s → needs_reauth, with since',
    async (error) => {
      const m = await seed(-1000);
      fault({ response: { status: 400, body: { error } } });
      const before = Date.now();
      expect((await job().sweep()).reauth).toBe(1);
      const body = await getMailbox(m.mailboxId);
      expect(body).toMatchObject({ status: 'needs_reauth', statusReason: error });
      expect(Date.parse(body.statusReasonSince as string)).toBeGreaterThanOrEqual(before - 5);
    },
  );

  it('issue 10.3 refreshNow: concurrent callers get one new token from one token call', async () => {
    const m = await seed(30 * 60_000);
    const old = await tokens().accessToken(m.mailboxId);
    const got = await Promise.all([1, 2, 3, 4].map(() => tokens().refreshNow(m.mailboxId, old)));
    expect(new Set(got).size).toBe(1);
    expect(got[0]).not.toBe(old);
    expect(tokenCalls()).toHaveLength(1);
    expect(await tokens().accessToken(m.mailboxId)).toBe(got[0]);
  });

  it('issue 10.3 refreshNow during an outage: MailboxTokenUnavailableError with retryAt, no further token calls before it', async () => {
    const m = await seed(30 * 60_000);
    const old = await tokens().accessToken(m.mailboxId);
    t.emulator.control.setTokenEndpointAvailable(false, 30);
    const before = Date.now();
    const first = await tokens()
      .refreshNow(m.mailboxId, old)
      .catch((e: unknown) => e);
    expect(first).toBeInstanceOf(MailboxTokenUnavailableError);
    const { retryAt, code, status } = first as MailboxTokenUnavailableError;
    expect({ code, status }).toEqual({ code: 'mailbox_token_unavailable', status: 503 });
    expect(retryAt.getTime()).toBeGreaterThanOrEqual(before + 30_000);
    expect(retryAt).toEqual((await credential(m.mailboxId)).nextRefreshAt);
    await expect(tokens().refreshNow(m.mailboxId, old)).rejects.toMatchObject({ retryAt });
    // The stored token is still valid for 30 minutes: Graph callers keep getting it.
    expect(await tokens().accessToken(m.mailboxId)).toBe(old);
    expect(tokenCalls()).toHaveLength(1);
    expect(await getMailbox(m.mailboxId)).toMatchObject({
      status: 'active',
      statusReason: 'token_refresh_failing',
    });
  });

  it('issue 10.3 refreshNow on a revoked grant: MailboxNeedsReauthError', async () => {
    const m = await seed(30 * 60_000);
    const old = await tokens().accessToken(m.mailboxId);
    t.emulator.control.revokeRefreshTokens(m.msUserId);
    await expect(tokens().refreshNow(m.mailboxId, old)).rejects.toMatchObject({
      code: 'mailbox_needs_reauth',
    });
    await expect(tokens().refreshNow(m.mailboxId, old)).rejects.toMatchObject({
      code: 'mailbox_needs_reauth',
    });
    expect(tokenCalls()).toHaveLength(1);
  });

  // The three-minute outage itself (reason shown and kept, Retry-After honoured, cleared after,
  // no message failed) runs once, with messages, in dispatch-token-outage.int-spec.ts.
});
