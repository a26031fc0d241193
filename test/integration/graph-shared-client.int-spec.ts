import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import type { AppConfig } from '../../src/common/config/app-config.js';
import { GraphClientFactory } from '../../src/common/microsoft/graph-client.factory.js';
import { graphFailureOf } from '../../src/common/microsoft/graph-error.js';
import {
  type MailboxAddress,
  MailboxGraphService,
} from '../../src/modules/mailbox/mailbox-graph.service.js';
import { MailboxTokenService } from '../../src/modules/mailbox/mailbox-token.service.js';
import type { M365Emulator } from '../../src/sandbox/emulator.js';
import { CONTOSO_TENANT_ID } from '../../src/sandbox/seed.js';
import { seedDelegatedMailboxes, type SeededMailbox } from '../factories/delegated-mailbox.js';
import { waitFor } from '../sandbox/support/graph-world.js';
import type { TestDatabase } from '../support/database.js';
import { type Instances, startInstances } from '../support/instances.js';

/**
 * One Graph SDK client serves the whole process; each request carries its own token and retry
 * count. Many calls for different mailboxes in flight at once must each reach Graph with their
 * own mailbox's token, judged by what the emulator received: the user its `/me` answered for,
 * and faults the emulator scopes to the user named by the bearer token.
 */
describe('one shared Graph client, concurrent calls for different mailboxes', () => {
  let t: Instances;
  let db: TestDatabase;
  let emulator: M365Emulator;
  let config: AppConfig;
  let app: INestApplication;

  beforeAll(async () => {
    t = await startInstances(1);
    ({ db, emulator, config } = t);
    app = t.apps[0];
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    emulator.control.clearFaults();
    emulator.control.clearLogs();
    await db.prisma.mailbox.deleteMany();
  });

  const address = (m: SeededMailbox): MailboxAddress => ({
    id: m.mailboxId,
    tenantId: CONTOSO_TENANT_ID,
    msUserId: m.msUserId,
    connectionType: 'delegated',
  });
  const meLog = () => emulator.control.requestLog({ path: '/v1.0/me' });

  /** Mailboxes whose access tokens are fresh, so the calls below send them straight away. */
  async function connected(count: number): Promise<SeededMailbox[]> {
    const seeded = await seedDelegatedMailboxes(emulator, db.prisma, config, count, {
      expiresInMs: -1000,
    });
    const tokens = app.get(MailboxTokenService);
    for (const m of seeded) await tokens.accessToken(m.mailboxId);
    emulator.control.clearLogs();
    return seeded;
  }

  it('60 calls in flight at once each reach Graph as their own mailbox, retried or not', async () => {
    const mailboxes = await connected(60);
    // Every request waits in the emulator, so all 60 are in flight together.
    emulator.control.addLatency(40);
    // A third of the users get one 429 each, answered only to a request bearing their token.
    const throttled = new Set(mailboxes.filter((_, i) => i % 3 === 0).map((m) => m.msUserId));
    for (const userId of throttled) {
      emulator.control.addFault({
        path: '/v1.0/me',
        userId,
        times: 1,
        response: { status: 429, headers: { 'Retry-After': '0' }, body: { error: {} } },
      });
    }
    const graph = app.get(MailboxGraphService);
    // Even calls keep the default in-place retries, odd calls have none.
    const outcomes = await Promise.all(
      mailboxes.map((m, i) =>
        graph
          .call(address(m), ({ client, path }) => client.api(path).select('id').get(), {
            retries: i % 2 === 0 ? 2 : 0,
          })
          .then(
            (me: { id: string }) => ({ ok: true as const, id: me.id }),
            (error: unknown) => ({ ok: false as const, status: graphFailureOf(error).status }),
          ),
      ),
    );

    mailboxes.forEach((m, i) => {
      const refusedOnce = throttled.has(m.msUserId) && i % 2 === 1;
      expect(outcomes[i]).toEqual(
        refusedOnce ? { ok: false, status: 429 } : { ok: true, id: m.msUserId },
      );
    });
    const expected = mailboxes
      .filter((m, i) => !(throttled.has(m.msUserId) && i % 2 === 1))
      .map((m) => m.msUserId);
    // The emulator logs a request once its response has finished, a moment after the caller
    // may already have read it.
    await waitFor(() => meLog().length >= expected.length + throttled.size);
    const answered = meLog().filter((r) => r.status === 200);
    expect(answered.map((r) => r.userId).sort()).toEqual([...expected].sort());
    expect(meLog().filter((r) => r.status === 429)).toHaveLength(throttled.size);
  });

  it('failures reach the caller as they did over fetch: status, Graph code, Retry-After, no answer', async () => {
    const [m] = await connected(1);
    const graph = app.get(MailboxGraphService);
    const me = () =>
      graph
        .call(address(m), ({ client, path }) => client.api(path).select('id').get(), { retries: 0 })
        .then(
          () => 'answered',
          (error: unknown) => graphFailureOf(error),
        );
    emulator.control.failNext({
      path: '/v1.0/me',
      status: 429,
      headers: { 'Retry-After': '7' },
      body: { error: { code: 'TooManyRequests', message: 'slow down' } },
    });
    expect(await me()).toEqual(
      expect.objectContaining({ status: 429, code: 'TooManyRequests', retryAfterSec: 7 }),
    );
    emulator.control.failNext({ path: '/v1.0/me', status: 503, body: 'not json' });
    expect(await me()).toEqual(expect.objectContaining({ status: 503 }));
    emulator.control.addFault({ path: '/v1.0/me', times: 1, drop: 'before' });
    expect(await me()).toEqual(expect.objectContaining({ status: 0, code: 'TypeError' }));
    expect(await me()).toBe('answered');
  });

  it('a request whose middleware options were replaced fails before sending anything', async () => {
    const [m] = await connected(1);
    const token = await app.get(MailboxTokenService).accessToken(m.mailboxId);
    const request = app
      .get(GraphClientFactory)
      .forToken(async () => token)
      .api('/me')
      .middlewareOptions([]);
    await expect(request.get()).rejects.toThrow(/without its own token/);
    expect(meLog()).toHaveLength(0);
  });
});
