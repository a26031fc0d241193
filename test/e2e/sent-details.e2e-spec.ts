import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ADELE } from '../../src/sandbox/seed.js';
import { call, createSandboxApp, type SandboxApp, sandboxToken } from '../support/sandbox-app.js';
import { assign, connectMailbox, createProfile } from '../support/sending.js';

interface MessageBody {
  id: string;
  to: { email: string; name?: string }[];
  cc: unknown[];
  bcc: unknown[];
  status: string;
  sentAt: string | null;
  internetMessageId: string | null;
  conversationId: string | null;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Issue 15: a sent message shows its internetMessageId and conversationId over REST. The
 * service runs as deployed (its background jobs on, short intervals): the dispatcher sends, the
 * sent-details job reads the copy Exchange filed in Sent Items (late, like Exchange does).
 */
describe('internetMessageId and conversationId of sent messages (e2e)', () => {
  let t: SandboxApp;
  let token: string;
  let profileId: string;

  beforeAll(async () => {
    t = await createSandboxApp({
      JOBS_ENABLED: 'true',
      OUTBOUND_DISPATCH_INTERVAL_MS: '100',
      OUTBOUND_SENT_DETAILS_INTERVAL_MS: '100',
      OUTBOUND_SENT_ITEMS_SETTLE_MS: '500',
      OUTBOUND_SENT_DETAILS_RETRY_MS: '200',
    });
    token = await sandboxToken(t, 'u-ids', 'ws-ids');
    const adele = await connectMailbox(t, token, ADELE.id);
    profileId = await createProfile(t, token);
    await assign(t, token, adele.primaryIdentityId, profileId);
  });
  afterAll(() => t.close());

  const get = async (id: string) => {
    const res = await call(t, 'GET', `/v1/messages/${id}`, { token });
    expect(res.status).toBe(200);
    return res.json<MessageBody>();
  };

  async function until(id: string, done: (m: MessageBody) => boolean): Promise<MessageBody> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const message = await get(id);
      if (done(message)) return message;
      if (Date.now() > deadline) throw new Error(`timed out: ${JSON.stringify(message)}`);
      await sleep(50);
    }
  }

  it('POST a message → sent without ids → GET shows the ids of its copy in Sent Items', async () => {
    t.emulator.control.setSentItemsDelayMs(1000);
    const since = new Date();
    const posted = await call(t, 'POST', '/v1/messages', {
      token,
      body: { senderProfileId: profileId, to: ['lead@example.com'], subject: 'Ids', text: 'Hi' },
    });
    expect(posted.status).toBe(202);
    const { id, internetMessageId, conversationId } = posted.json<MessageBody>();
    expect({ internetMessageId, conversationId }).toEqual({
      internetMessageId: null,
      conversationId: null,
    });

    const sent = await until(id, (m) => m.status === 'sent');
    expect(sent).toMatchObject({ internetMessageId: null, conversationId: null });

    const filled = await until(id, (m) => m.internetMessageId !== null);
    const [record] = t.emulator.control.graph.sentMail({ since });
    expect(record.subject).toBe('Ids');
    const copy = t.emulator.control.graph.message(ADELE.id, record.sentItemId as string);
    expect(copy.parentFolderId).toBe('sentitems');
    expect(filled).toMatchObject({
      status: 'sent',
      internetMessageId: copy.internetMessageId,
      conversationId: copy.conversationId,
      to: [{ email: 'lead@example.com' }],
      cc: [],
      bcc: [],
    });
    expect(copy.internetMessageId).toMatch(/^<.+@.+>$/);
    expect(copy.conversationId).toEqual(expect.any(String));

    const list = await call(t, 'GET', '/v1/messages?status=sent', { token });
    const item = list.json<{ items: MessageBody[] }>().items.find((m) => m.id === id);
    expect(item).toMatchObject({
      internetMessageId: copy.internetMessageId,
      conversationId: copy.conversationId,
    });
  }, 40_000);

  it('OpenAPI documents the ids (and the recipients) on OutboundMessageResponse', async () => {
    const doc = (await call(t, 'GET', '/docs-json')).json<{
      components: { schemas: Record<string, { properties: Record<string, unknown> }> };
    }>();
    const { properties } = doc.components.schemas.OutboundMessageResponse;
    for (const field of ['internetMessageId', 'conversationId']) {
      expect(properties[field]).toMatchObject({
        type: 'string',
        nullable: true,
        description: expect.stringContaining('Sent Items'),
      });
    }
    for (const field of ['to', 'cc', 'bcc'])
      expect(properties[field]).toMatchObject({ type: 'array' });
  });
});
