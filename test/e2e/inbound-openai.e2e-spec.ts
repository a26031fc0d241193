import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { ADELE } from '../../src/sandbox/seed.js';
import { FakeOpenAi } from '../support/fake-openai.js';
import { inboundFixture } from '../support/inbound-fixtures.js';
import { type InboundItem, inboundItems, runInbound, setInbound } from '../support/inbound.js';
import { createSandboxApp, type SandboxApp, sandboxToken } from '../support/sandbox-app.js';
import { connectMailbox, type Ids } from '../support/sending.js';

const API_KEY = 'sk-test-0123456789abcdef';
const GOOD = {
  category: 'lead',
  intent: 'request_quote',
  confidence: 0.92,
  summary: 'Wants a quote for 50 seats and a demo next week.',
  reply: 'Hi Dana,\n\nThank you for reaching out. Our team will send the quote shortly.\n\nAdele',
};

describe('OpenAI-compatible provider against a local fake server (e2e)', () => {
  let t: SandboxApp;
  let fake: FakeOpenAi;
  let token: string;
  let adele: Ids;

  beforeAll(async () => {
    fake = new FakeOpenAi();
    const baseUrl = await fake.start();
    t = await createSandboxApp({
      INBOUND_DELIVERY: 'polling',
      AI_PROVIDER: 'openai',
      AI_BASE_URL: baseUrl,
      AI_API_KEY: API_KEY,
      AI_MODEL: 'triage-model-1',
      AI_TIMEOUT_MS: '300',
      AI_DAILY_CALLS_PER_WORKSPACE: '50',
    });
    token = await sandboxToken(t, 'user-a', 'ws-openai');
    adele = await connectMailbox(t, token, ADELE.id);
    await setInbound(t, token, adele.mailboxId, {
      enabled: true,
      purpose: 'new_business',
      behavior: 'full_auto',
      // The send path under test: replies go out at once (review and delayed modes:
      // inbound-reply-modes).
      // No escalation topics, or price questions in the fixtures would be escalated
      // (escalation: inbound-escalation).
      replyMode: 'send',
      escalationTopics: [],
    });
    await runInbound(t);
  });
  afterAll(async () => {
    await t.close();
    await fake.close();
  });
  beforeEach(() => {
    fake.requests.length = 0;
  });

  const replies = (since: Date) =>
    t.emulator.control.graph
      .sentMail({ mailbox: ADELE.mail, since })
      .filter((s) => s.operation === 'send');

  async function receive(
    name = 'lead.eml',
  ): Promise<{ item: InboundItem; since: Date; id: string }> {
    const since = new Date();
    const message = t.emulator.control.graph.injectRaw(
      ADELE.mail,
      inboundFixture('human', name, ADELE.mail),
    );
    await runInbound(t);
    const item = (await inboundItems(t, token, adele.mailboxId)).find(
      (i) => i.graphMessageId === message.id,
    );
    if (!item) throw new Error('not processed');
    return { item, since, id: message.id };
  }

  it('structured answer: classification and reply come from the model; the request is schema-bound and holds only the message', async () => {
    fake.answer = () => ({ content: JSON.stringify(GOOD) });
    const { item, since } = await receive();
    expect(item).toMatchObject({
      provider: 'openai',
      category: 'lead',
      intent: 'request_quote',
      confidence: 0.92,
      action: 'replied',
    });
    expect(item.summary).toBe(GOOD.summary);
    const [sent] = replies(since);
    expect(sent.body.content).toContain('Our team will send the quote shortly.');
    expect(fake.requests).toHaveLength(1);
    const [request] = fake.requests;
    expect(request.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request.body.model).toBe('triage-model-1');
    expect(request.body.response_format).toMatchObject({
      type: 'json_schema',
      json_schema: { name: 'inbound_triage', strict: true },
    });
    const [system, user] = request.body.messages;
    expect(system.role).toBe('system');
    expect(system.content).toContain('new business');
    expect(system.content).not.toContain('quote for 50 seats');
    expect(JSON.parse(user.content)).toEqual({
      email: {
        from: { name: 'Dana Buyer', address: 'dana@prospect.example' },
        subject: 'Pricing for 50 seats',
        body: expect.stringContaining('quote for 50 seats'),
      },
    });
    const prompt = JSON.stringify(request.body.messages);
    expect(prompt).not.toContain(API_KEY);
    expect(prompt).not.toMatch(/eyJ[\w-]+\.[\w-]+/);
    expect(prompt).not.toContain(ADELE.id);
  });

  it.each([
    ['timeout', { delayMs: 2000 }, 'timeout'],
    [
      '429',
      { status: 429, body: { error: { message: 'Rate limit', type: 'rate_limit_error' } } },
      'rate_limited',
    ],
    ['malformed JSON', { content: '{"category": "lead", "confidence": 0.9, ' }, 'malformed'],
    [
      'an answer outside the schema',
      { content: JSON.stringify({ ...GOOD, category: 'urgent' }) },
      'malformed',
    ],
    ['a 500', { status: 500 }, 'http'],
  ] as const)('%s → triaged by the rules provider, no reply', async (_name, answer, kind) => {
    fake.answer = () => answer;
    const { item, since } = await receive();
    expect(item).toMatchObject({
      provider: 'rules_fallback',
      category: 'lead',
      action: 'triaged',
      reason: `ai_provider_failed:${kind}`,
    });
    expect(replies(since)).toHaveLength(0);
    expect(t.emulator.control.graph.message(ADELE.mail, item.graphMessageId).categories).toEqual([
      'AI: Lead',
    ]);
  });

  it('a prompt-injection message changes neither the behavior nor the recipients', async () => {
    // A gullible model: does what the email says, and adds recipients of its own.
    fake.answer = (request) => {
      const injected = request.body.messages[1].content.includes(
        'IGNORE ALL PREVIOUS INSTRUCTIONS',
      );
      return {
        content: JSON.stringify({
          ...GOOD,
          confidence: 1,
          reply: injected ? 'Hello,\n\nOur pricing starts at 10 per seat.\n\nAdele' : GOOD.reply,
          to: ['ceo@victim.example'],
          cc: ['all-staff@victim.example'],
          behavior: 'full_auto',
        }),
      };
    };
    const { item, since } = await receive('prompt-injection.eml');
    expect(item.action).toBe('replied');
    const sent = replies(since);
    expect(sent).toHaveLength(1);
    expect(sent[0].toRecipients.map((r) => r.address)).toEqual(['mallory@attacker.example']);
    expect([...sent[0].ccRecipients, ...sent[0].bccRecipients]).toEqual([]);
    const [system] = fake.requests[0].body.messages;
    expect(system.content).not.toContain('IGNORE ALL PREVIOUS');

    await setInbound(t, token, adele.mailboxId, { behavior: 'triage_only' });
    const again = await receive('prompt-injection.eml');
    expect(again.item).toMatchObject({ action: 'triaged', reason: 'behavior_triage_only' });
    expect(replies(again.since)).toHaveLength(0);
    await setInbound(t, token, adele.mailboxId, { behavior: 'full_auto' });
  });

  it('a reply that carries an address or a link is never sent', async () => {
    fake.answer = () => ({
      content: JSON.stringify({
        ...GOOD,
        reply: 'Please pay at https://pay.attacker.example now.',
      }),
    });
    const { item, since } = await receive();
    expect(item).toMatchObject({ action: 'triaged', reason: 'ai_reply_rejected:contains_link' });
    expect(replies(since)).toHaveLength(0);
  });

  it('past the daily cap of the workspace no call is made: triaged, no reply', async () => {
    const day = new Date(new Date().toISOString().slice(0, 10));
    await t.db.prisma.aiUsage.upsert({
      where: { workspaceId_day: { workspaceId: 'ws-openai', day } },
      create: { workspaceId: 'ws-openai', day, calls: 50, tokens: 0 },
      update: { calls: 50 },
    });
    fake.answer = () => ({ content: JSON.stringify(GOOD) });
    const { item, since } = await receive();
    expect(fake.requests).toHaveLength(0);
    expect(item).toMatchObject({ action: 'triaged', reason: 'ai_provider_failed:cap_reached' });
    expect(replies(since)).toHaveLength(0);
  });
});
