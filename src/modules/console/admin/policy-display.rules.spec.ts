import { describe, expect, it } from '@jest/globals';
import { hoursText, policyDisplay, topicsText } from './policy-display.rules.js';

describe('policyDisplay', () => {
  it('a stored policy, field by field', () => {
    const display = policyDisplay({
      source: 'stored',
      policy: {
        replyMode: 'delayed',
        undoWindowSec: 120,
        dailyReplyCap: 20,
        escalationTopics: [{ topic: 'pricing', phrases: ['price', 'how much'] }],
        confidenceFloor: 0.7,
        businessHours: {
          timeZone: 'Europe/Berlin',
          days: [5, 1, 2, 3, 4],
          start: '09:00',
          end: '17:00',
        },
      },
    });
    expect(display).toEqual({
      replyPolicy: 'set for this mailbox',
      replyMode: 'delayed',
      undoWindowSeconds: 120,
      dailyReplyCap: 20,
      escalationTopics: 'pricing (price, how much)',
      confidenceFloor: 0.7,
      businessHours: 'Mon–Fri 09:00–17:00 Europe/Berlin',
    });
  });

  it('no policy: every field empty, the source says why', () => {
    expect(policyDisplay({ source: 'none', policy: null })).toMatchObject({
      replyPolicy: expect.stringMatching(/^none/),
      replyMode: null,
      dailyReplyCap: null,
      businessHours: null,
    });
    expect(policyDisplay(undefined).replyPolicy).toMatch(/^none/);
  });
});

describe('topicsText and hoursText', () => {
  it('says so when no topic is escalated', () => {
    expect(topicsText([])).toBe('none (no topic is escalated)');
    expect(
      topicsText([
        { topic: 'a', phrases: ['x'] },
        { topic: 'b', phrases: ['y', 'z'] },
      ]),
    ).toBe('a (x); b (y, z)');
  });

  it('a range of days, scattered days, weekend, any time', () => {
    const at = (days: number[]) =>
      hoursText({ days, start: '08:00', end: '24:00', timeZone: 'UTC' });
    expect(at([1, 2, 3])).toBe('Mon–Wed 08:00–24:00 UTC');
    expect(at([3, 1])).toBe('Mon, Wed 08:00–24:00 UTC');
    expect(at([0, 6])).toBe('Sun, Sat 08:00–24:00 UTC');
    expect(hoursText(null)).toBe('any time');
  });
});
