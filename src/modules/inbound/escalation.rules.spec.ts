import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  DEFAULT_ESCALATION_TOPICS,
  type EscalationInput,
  escalationFor,
  mentions,
  withoutQuotedHistory,
} from './escalation.rules.js';

const input = (over: Partial<EscalationInput> = {}): EscalationInput => ({
  subject: 'Question',
  bodyText: 'Hi, can we meet next week?',
  topics: DEFAULT_ESCALATION_TOPICS,
  confidence: 0.9,
  confidenceFloor: 0.6,
  providerFailed: false,
  ...over,
});

describe('escalation topics', () => {
  it.each([
    ['I want a refund for last month', 'refund'],
    ['Could we get our money back?', 'refund'],
    ['Please send a quote for 50 seats', 'pricing'],
    ['What are your prices?', 'pricing'],
    ['We cancelled the order', 'cancellation'],
    ['Our lawyer will review the CONTRACT', 'contract'],
    ['This is a legal matter', 'legal'],
    ['I want to file a complaint', 'complaint'],
    ['Please unsubscribe me', 'unsubscribe'],
    ['Can I talk to a   human please', 'talk_to_a_human'],
    ['Can I talk to a\nhuman please', 'talk_to_a_human'],
  ])('%s → %s', (body, topic) => {
    expect(escalationFor(input({ bodyText: body }))).toEqual({
      topic,
      reason: `escalated:${topic}`,
    });
  });

  it('the first matching topic of the configured order wins', () => {
    const found = escalationFor(input({ bodyText: 'refund the contract' }));
    expect(found?.topic).toBe('refund');
  });

  it('matches whole words only (no topic inside another word)', () => {
    expect(mentions('our courtesy call', 'court')).toBe(false);
    expect(mentions('a priceless idea', 'price')).toBe(false);
    expect(mentions('the courts decided', 'court')).toBe(true);
    expect(escalationFor(input({ bodyText: 'Thanks, the demo was great' }))).toBeNull();
  });

  it('the subject counts too', () => {
    expect(
      escalationFor(input({ subject: 'Refund request', bodyText: 'see subject' }))?.topic,
    ).toBe('refund');
  });

  it('ignores our own quoted outreach below the reply', () => {
    const body =
      'Sounds good, see you Tuesday.\n\nOn Mon, Adele wrote:\n> Our pricing starts at 10';
    expect(escalationFor(input({ bodyText: body }))).toBeNull();
    expect(withoutQuotedHistory('a\n-----Original Message-----\nprice')).toBe('a');
    expect(withoutQuotedHistory('a\nFrom: Adele <a@b.c>\nprice')).toBe('a');
  });

  it('custom topics replace the defaults; an empty list escalates no topic', () => {
    const topics = [{ topic: 'competitor', phrases: ['acme corp'] }];
    expect(escalationFor(input({ topics, bodyText: 'We use Acme  Corp today' }))?.topic).toBe(
      'competitor',
    );
    expect(escalationFor(input({ topics, bodyText: 'I want a refund' }))).toBeNull();
    expect(escalationFor(input({ topics: [], bodyText: 'I want a refund' }))).toBeNull();
  });

  it('phrases with regex characters are literal', () => {
    const topics = [{ topic: 'odd', phrases: ['c++ (beta)', '.*'] }];
    expect(escalationFor(input({ topics, bodyText: 'about c++ (beta) support' }))?.topic).toBe(
      'odd',
    );
    expect(escalationFor(input({ topics, bodyText: 'anything at all' }))).toBeNull();
  });
});

describe('confidence floor', () => {
  it('below the floor escalates without a topic; at the floor does not', () => {
    expect(escalationFor(input({ confidence: 0.59 }))).toEqual({
      topic: null,
      reason: 'escalated:below_confidence_floor',
    });
    expect(escalationFor(input({ confidence: 0.6 }))).toBeNull();
  });

  it('a failed provider has no confidence to judge (topics still apply)', () => {
    expect(escalationFor(input({ confidence: 0, providerFailed: true }))).toBeNull();
    expect(
      escalationFor(input({ confidence: 0, providerFailed: true, bodyText: 'refund' }))?.topic,
    ).toBe('refund');
  });

  it('never throws, whatever the text and phrases', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.array(fc.string()), (subject, body, phrases) => {
        const topics = [{ topic: 't', phrases }];
        const found = escalationFor(input({ subject, bodyText: body, topics }));
        expect(found === null || typeof found.reason === 'string').toBe(true);
      }),
    );
  });
});
