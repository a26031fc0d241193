import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ADELE } from '../../src/sandbox/seed.js';
import { inboundFixtures } from '../support/inbound-fixtures.js';
import { inboundItems, runInbound, setInbound } from '../support/inbound.js';
import { createSandboxApp, type SandboxApp, sandboxToken } from '../support/sandbox-app.js';
import { connectMailbox, type Ids } from '../support/sending.js';

/** What each fixture must end as: never an AI reply, always with its reason. */
const EXPECTED: Record<string, { action: string; reason: string }> = {
  'auto-generated-notice.eml': { action: 'skipped', reason: 'auto_submitted' },
  'auto-reply-exchange-oof.eml': { action: 'skipped', reason: 'auto_submitted' },
  'auto-reply-rfc3834-vacation.eml': { action: 'skipped', reason: 'auto_submitted' },
  'bounce-exchange-ndr.eml': { action: 'skipped', reason: 'system_sender' },
  'bounce-postfix.eml': { action: 'skipped', reason: 'system_sender' },
  'bounce-without-report-type.eml': { action: 'skipped', reason: 'system_sender' },
  'donotreply-invoice.eml': { action: 'skipped', reason: 'system_sender' },
  'mailing-list-mailman.eml': { action: 'skipped', reason: 'precedence_bulk' },
  'newsletter-list-unsubscribe.eml': { action: 'skipped', reason: 'precedence_bulk' },
  'newsletter-no-list-headers.eml': { action: 'triaged', reason: 'not_a_conversation:newsletter' },
  'noreply-notification.eml': { action: 'skipped', reason: 'system_sender' },
  'other-ai-reply.eml': { action: 'skipped', reason: 'ai_reply' },
  'out-of-office-no-headers.eml': { action: 'skipped', reason: 'out_of_office' },
  'own-alias.eml': { action: 'skipped', reason: 'own_identity' },
  'own-mailbox.eml': { action: 'skipped', reason: 'own_identity' },
  'precedence-junk.eml': { action: 'skipped', reason: 'precedence_bulk' },
  'read-receipt-mdn.eml': { action: 'skipped', reason: 'delivery_or_read_report' },
  'spam-no-headers.eml': { action: 'triaged', reason: 'not_a_conversation:spam' },
  'x-autoreply.eml': { action: 'skipped', reason: 'auto_reply' },
};

describe('inbound loop safety (e2e, full_auto, rules provider)', () => {
  let t: SandboxApp;
  let token: string;
  let adele: Ids;

  beforeAll(async () => {
    t = await createSandboxApp({
      INBOUND_DELIVERY: 'polling',
      INBOUND_MAX_REPLIES_PER_THREAD_PER_DAY: '2',
    });
    token = await sandboxToken(t, 'user-a', 'ws-loops');
    adele = await connectMailbox(t, token, ADELE.id);
    await setInbound(t, token, adele.mailboxId, {
      enabled: true,
      purpose: 'general',
      behavior: 'full_auto',
      // The send path under test: replies go out at once (review and delayed modes:
      // inbound-reply-modes).
      replyMode: 'send',
    });
    await runInbound(t);
  });
  afterAll(() => t.close());

  const replies = (since: Date) =>
    t.emulator.control.graph
      .sentMail({ mailbox: ADELE.mail, since })
      .filter((s) => s.operation === 'send');

  it('the whole fixture set (bounces, auto-replies, lists, receipts, no-reply, own mail) gets 0 replies, each with its reason', async () => {
    const since = new Date();
    const fixtures = inboundFixtures('loop', {
      mailbox: ADELE.mail,
      alias: 'av@sales.contoso.com',
    });
    expect(fixtures.map((f) => f.name).sort()).toEqual(Object.keys(EXPECTED).sort());
    const ids = new Map(
      fixtures.map((f) => [t.emulator.control.graph.injectRaw(ADELE.mail, f.raw).id, f.name]),
    );
    await runInbound(t);
    await runInbound(t);
    expect(replies(since)).toHaveLength(0);
    const items = (await inboundItems(t, token, adele.mailboxId)).filter((i) =>
      ids.has(i.graphMessageId),
    );
    const outcome = Object.fromEntries(
      items.map((i) => [ids.get(i.graphMessageId), { action: i.action, reason: i.reason }]),
    );
    expect(outcome).toEqual(EXPECTED);
  });

  // One AI reply in a row per thread (no person wrote from the mailbox in between) now stops a
  // ping-pong after the first reply, before the daily thread cap (still there behind it).
  it('a thread that ping-pongs with an auto-responder (no auto headers) stops after one AI reply', async () => {
    const since = new Date();
    let inReplyTo: string | undefined;
    for (let round = 0; round < 5; round += 1) {
      t.emulator.control.graph.injectInbound({
        mailbox: ADELE.mail,
        from: { address: 'assistant@bot.example', name: 'Order Assistant' },
        subject: 'Can you help me with my order?',
        body: 'Hello, could you help me with my order? What is the status?',
        inReplyTo,
      });
      await runInbound(t);
      const sent = replies(since);
      inReplyTo = sent[sent.length - 1]?.internetMessageId ?? inReplyTo;
    }
    const sent = replies(since);
    expect(sent).toHaveLength(1);
    const items = (await inboundItems(t, token, adele.mailboxId)).filter(
      (i) => i.from === 'assistant@bot.example',
    );
    expect(items.map((i) => i.action).sort()).toEqual([
      'replied',
      'triaged',
      'triaged',
      'triaged',
      'triaged',
    ]);
    expect(items.filter((i) => i.action === 'triaged').map((i) => i.reason)).toEqual(
      Array(4).fill('ai_reply_in_a_row'),
    );
  });
});
