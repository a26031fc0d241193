import { describe, expect, it } from '@jest/globals';
import { addressesOf, nobodyLeft, screenRecipients } from './suppression.rules.js';

const lists = {
  to: [{ email: 'ann@example.com' }, { email: 'Bob@Example.com', name: 'Bob' }],
  cc: [{ email: 'cy@example.com' }],
  bcc: [{ email: 'ann@example.com' }],
};

describe('suppression rules', () => {
  it('lists every address once, lower case', () => {
    expect(addressesOf(lists)).toEqual(['ann@example.com', 'bob@example.com', 'cy@example.com']);
  });

  it('drops suppressed recipients from every list, each with its field and reason', () => {
    const screened = screenRecipients(
      lists,
      new Map([
        ['bob@example.com', 'hard_bounce' as const],
        ['ann@example.com', 'unsubscribe' as const],
      ]),
    );
    expect(screened.kept).toEqual({ to: [], cc: [{ email: 'cy@example.com' }], bcc: [], count: 1 });
    expect(screened.dropped).toEqual([
      { email: 'ann@example.com', field: 'to', reason: 'unsubscribe' },
      { email: 'bob@example.com', field: 'to', reason: 'hard_bounce' },
      { email: 'ann@example.com', field: 'bcc', reason: 'unsubscribe' },
    ]);
    expect(nobodyLeft(screened)).toBe(true);
  });

  it('keeps a message with at least one `to` recipient', () => {
    const screened = screenRecipients(lists, new Map([['cy@example.com', 'manual' as const]]));
    expect(screened.kept.count).toBe(3);
    expect(screened.dropped).toEqual([{ email: 'cy@example.com', field: 'cc', reason: 'manual' }]);
    expect(nobodyLeft(screened)).toBe(false);
  });

  it('changes nothing when no one is suppressed', () => {
    const screened = screenRecipients(lists, new Map());
    expect(screened.dropped).toEqual([]);
    expect(screened.kept.count).toBe(4);
  });
});
