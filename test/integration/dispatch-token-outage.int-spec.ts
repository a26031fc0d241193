import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MailboxTokenUnavailableError } from '../../src/modules/mailbox/mailbox.errors.js';
import { MailboxRefreshJob } from '../../src/modules/mailbox/mailbox-refresh.job.js';
import { MailboxTokenService } from '../../src/modules/mailbox/mailbox-token.service.js';
import { DispatchService } from '../../src/modules/outbound/dispatch.service.js';
import { queueMessages, seedSendingWorld } from '../factories/outbound.js';
import { type Instances, startInstances } from '../support/instances.js';

const OUTAGE_MS = 3 * 60_000;

/**
 * Issue 10.3, as observed (messages and the mailbox side together, one three-minute run): the token endpoint answers 503 (Retry-After: 30) for three minutes
 * while the mailbox's access token has expired. Two instances keep dispatching and sweeping
 * the whole time, in real time.
 */
describe('issue 10.3: a token endpoint outage of three minutes', () => {
  let t: Instances;

  beforeAll(async () => {
    t = await startInstances(2);
  });
  afterAll(() => t.close());

  const tokenCalls = () =>
    t.emulator.control.requestLog({ method: 'POST', path: '/oauth2/v2.0/token' });

  it(
    'no message fails, the mailbox shows the reason during the outage and clears it, all are sent after',
    async () => {
      const world = await seedSendingWorld(t.emulator, t.db.prisma, t.config, 1);
      const [{ mailboxId }] = world.mailboxes;
      t.emulator.control.setTokenEndpointAvailable(false, 30, OUTAGE_MS);
      const outageEnds = Date.now() + OUTAGE_MS;
      const ids = await queueMessages(t.db.prisma, world.profileId, 5, 'outage');
      const seen = { reasonDuringOutage: false, failed: 0, maxAttempts: 0 };
      const since = new Set<string>();
      /** Graph callers get no token and learn when the next refresh is tried; no call is made. */
      const expectNoTokenBeforeRetry = async (id: string) => {
        const credential = await t.db.prisma.mailboxCredential.findUniqueOrThrow({
          where: { mailboxId: id },
        });
        const retryAt = credential.nextRefreshAt;
        if (!retryAt || retryAt.getTime() < Date.now() + 1_000) return;
        const calls = tokenCalls().length;
        const error = await t.apps[0]
          .get(MailboxTokenService)
          .accessToken(id)
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(MailboxTokenUnavailableError);
        expect((error as MailboxTokenUnavailableError).retryAt).toEqual(retryAt);
        expect(tokenCalls()).toHaveLength(calls);
      };
      const rows = () => t.db.prisma.outboundMessage.findMany({ where: { id: { in: ids } } });
      const deadline = outageEnds + 90_000;
      for (;;) {
        await Promise.all(t.apps.map((app) => app.get(DispatchService).dispatchOnce()));
        await Promise.all(t.apps.map((app) => app.get(MailboxRefreshJob).sweep()));
        const messages = await rows();
        seen.failed += messages.filter((m) => m.status === 'failed').length;
        seen.maxAttempts = Math.max(seen.maxAttempts, ...messages.map((m) => m.attempts));
        if (Date.now() < outageEnds - 5_000) {
          const mailbox = await t.db.prisma.mailbox.findUniqueOrThrow({ where: { id: mailboxId } });
          expect(mailbox.status).toBe('active');
          if (mailbox.statusReason === 'token_refresh_failing') {
            seen.reasonDuringOutage = true;
            since.add(String(mailbox.statusReasonSince?.toISOString()));
          }
          expect(messages.every((m) => m.status === 'queued')).toBe(true);
          await expectNoTokenBeforeRetry(mailboxId);
          expect(
            messages.every(
              (m) => m.errorCode === null || m.errorCode === 'mailbox_token_unavailable',
            ),
          ).toBe(true);
        }
        if (messages.every((m) => m.status === 'sent')) break;
        if (Date.now() > deadline) throw new Error('messages not sent after the outage');
        await new Promise((r) => setTimeout(r, 1000));
      }
      expect(Date.now()).toBeGreaterThanOrEqual(outageEnds - 1000);
      expect(seen).toEqual({ reasonDuringOutage: true, failed: 0, maxAttempts: 1 });
      const mailbox = await t.db.prisma.mailbox.findUniqueOrThrow({ where: { id: mailboxId } });
      expect(mailbox).toMatchObject({ status: 'active', statusReason: null });
    },
    OUTAGE_MS + 150_000,
  );
});
