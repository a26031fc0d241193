import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  type ActionInput,
  CATEGORIES,
  decideAction,
  replyProblem,
  routeFor,
  withCategory,
} from './triage.rules.js';
import { ownsThread, referencedIds } from './thread.rules.js';

const input = (over: Partial<ActionInput> = {}): ActionInput => ({
  behavior: 'full_auto',
  category: 'question',
  confidence: 0.9,
  minConfidence: 0.6,
  ownsThread: false,
  providerFailed: false,
  ...over,
});

describe('action by behavior', () => {
  it('full_auto replies to a conversation a person started', () => {
    expect(decideAction(input())).toEqual({ act: 'reply' });
  });

  it('reply_only replies only in owned threads', () => {
    expect(decideAction(input({ behavior: 'reply_only' }))).toEqual({
      act: 'triage',
      reason: 'thread_not_owned',
    });
    expect(decideAction(input({ behavior: 'reply_only', ownsThread: true }))).toEqual({
      act: 'reply',
    });
  });

  it('triage_only and disabled never reply; a provider failure never replies', () => {
    expect(decideAction(input({ behavior: 'triage_only', ownsThread: true }))).toMatchObject({
      act: 'triage',
    });
    expect(decideAction(input({ behavior: 'disabled' }))).toMatchObject({ act: 'triage' });
    expect(decideAction(input({ providerFailed: true }))).toEqual({
      act: 'triage',
      reason: 'ai_provider_unavailable',
    });
    expect(decideAction(input({ confidence: 0.5 }))).toEqual({
      act: 'triage',
      reason: 'low_confidence',
    });
  });

  it('property: newsletters, notifications, bounces, out of office, spam and other are never answered, whatever the behavior', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('out_of_office', 'bounce', 'newsletter', 'spam', 'other' as const),
        fc.constantFrom('full_auto', 'reply_only', 'triage_only', 'disabled' as const),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.boolean(),
        (category, behavior, confidence, owned) =>
          decideAction(input({ category, behavior, confidence, ownsThread: owned })).act ===
          'triage',
      ),
    );
  });

  it('property: only full_auto and reply_only ever reply', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CATEGORIES),
        fc.constantFrom('full_auto', 'reply_only', 'triage_only', 'disabled' as const),
        fc.boolean(),
        (category, behavior, owned) => {
          const act = decideAction(input({ category, behavior, ownsThread: owned })).act;
          return (
            act === 'triage' || behavior === 'full_auto' || (behavior === 'reply_only' && owned)
          );
        },
      ),
    );
  });
});

describe('routing and threads', () => {
  it('default routing and overrides', () => {
    expect(routeFor('lead', {})).toEqual({ category: 'AI: Lead', flag: true });
    expect(routeFor('newsletter', {})).toEqual({ category: 'AI: Newsletter', flag: false });
    expect(routeFor('lead', { lead: { category: 'Hot', flag: false } })).toEqual({
      category: 'Hot',
      flag: false,
    });
    expect(withCategory(['Blue'], 'AI: Lead')).toEqual(['Blue', 'AI: Lead']);
    expect(withCategory(['AI: Lead'], 'AI: Lead')).toEqual(['AI: Lead']);
  });

  it('owns a thread by In-Reply-To / References or by conversation', () => {
    const headers = [
      { name: 'In-Reply-To', value: '<a@x>' },
      { name: 'References', value: '<root@x> <a@x>' },
    ];
    expect(referencedIds(headers)).toEqual(['<a@x>', '<root@x>']);
    const owned = { internetMessageIds: new Set(['<root@x>']), conversationIds: new Set(['c1']) };
    expect(ownsThread({ conversationId: null, referencedIds: ['<root@x>'] }, owned)).toBe(true);
    expect(ownsThread({ conversationId: 'c1', referencedIds: [] }, owned)).toBe(true);
    expect(ownsThread({ conversationId: 'c2', referencedIds: ['<b@x>'] }, owned)).toBe(false);
  });
});

describe('AI reply check', () => {
  it.each([
    ['Hi Dana,\n\nThanks, we will be in touch.\n\nContoso', null],
    ['', 'empty'],
    ['x'.repeat(2001), 'too_long'],
    ['Please write to ceo@victim.example', 'contains_address'],
    ['See https://evil.example/pay', 'contains_link'],
    ['Visit www.evil.example', 'contains_link'],
  ])('%s → %s', (text, expected) => {
    expect(replyProblem(text)).toBe(expected);
  });
});
