import { describe, expect, it } from '@jest/globals';
import {
  classifySendFailure,
  outcomeCheckDelayMs,
  parseRecipient,
  requestHash,
  rotationOrder,
  sendRetryDelayMs,
  underLimits,
} from './outbound.rules.js';

describe('outbound rules', () => {
  it('parses recipients as strings or objects, lower-cases, rejects malformed', () => {
    expect(parseRecipient(' Bob@Example.com ')).toEqual({ email: 'bob@example.com' });
    expect(parseRecipient({ email: 'a@b.co', name: ' Ann ' })).toEqual({
      email: 'a@b.co',
      name: 'Ann',
    });
    for (const bad of ['nope', 'a@b', 'a b@c.de', '<a@b.co>', '', 'a@b.co;c@d.ef'])
      expect(parseRecipient(bad)).toBeUndefined();
  });

  it('rejects recipients of any other shape or with characters a header line cannot hold', () => {
    expect(parseRecipient({ email: 'a@b.co', name: null })).toEqual({ email: 'a@b.co' });
    const bad: unknown[] = [
      123,
      null,
      ['a@b.co'],
      { email: 123 },
      { email: ['a@b.co'] },
      { email: 'a@b.co', name: 123 },
      { email: 'a@b.co', name: {} },
      'a\u0000@b.co',
      'a@b.co\u007f',
      'a\ud800@b.co',
      { email: 'a@b.co', name: 'Ann\r\nBcc: x@evil.test' },
      { email: 'a@b.co', name: 'Ann\u0000' },
      { email: 'a@b.co', name: 'Ann \ud800' },
      { email: 'a@b.co', name: 'Ann\u2028Bob' },
    ];
    for (const input of bad) expect(parseRecipient(input)).toBeUndefined();
  });

  it('hashes requests independently of key order', () => {
    expect(requestHash({ a: 1, b: [1, { c: 2, d: 3 }] })).toBe(
      requestHash({ b: [1, { d: 3, c: 2 }], a: 1 }),
    );
    expect(requestHash({ a: 1 })).not.toBe(requestHash({ a: 2 }));
  });

  it('rotates least recently used first, never-used before used', () => {
    const at = (s: number) => new Date(s * 1000);
    const order = rotationOrder([
      { identityId: 'b', mailboxId: 'm2', lastUsedAt: at(5) },
      { identityId: 'a', mailboxId: 'm1', lastUsedAt: at(9) },
      { identityId: 'c', mailboxId: 'm3', lastUsedAt: null },
    ]);
    expect(order.map((c) => c.identityId)).toEqual(['c', 'b', 'a']);
  });

  it('enforces per-mailbox messages per window and recipients per day', () => {
    const limits = { messagesPerWindow: 30, recipientsPerDay: 10_000 };
    expect(underLimits({ messagesInWindow: 29, recipientsInDay: 0 }, 1, limits)).toBe(true);
    expect(underLimits({ messagesInWindow: 30, recipientsInDay: 0 }, 1, limits)).toBe(false);
    expect(underLimits({ messagesInWindow: 0, recipientsInDay: 9_600 }, 400, limits)).toBe(true);
    expect(underLimits({ messagesInWindow: 0, recipientsInDay: 9_601 }, 400, limits)).toBe(false);
  });

  it('classifies send failures and computes retry delays', () => {
    expect(classifySendFailure(403, 'ErrorSendAsDenied')).toBe('send_as_denied');
    expect(classifySendFailure(429, 'ApplicationThrottled')).toBe('retry');
    expect(classifySendFailure(503, 'x')).toBe('retry');
    expect(classifySendFailure(500, 'generalException')).toBe('retry');
    expect(classifySendFailure(0, 'network_error')).toBe('unknown');
    expect(classifySendFailure(502, 'x')).toBe('unknown');
    expect(classifySendFailure(504, 'x')).toBe('unknown');
    expect(classifySendFailure(401, 'InvalidAuthenticationToken')).toBe('token_refused');
    expect(classifySendFailure(404, 'MailboxNotEnabledForRESTAPI')).toBe('mailbox');
    expect(classifySendFailure(400, 'ErrorInvalidRecipients')).toBe('permanent');
    expect(sendRetryDelayMs(1, 7)).toBe(7000);
    expect(sendRetryDelayMs(1)).toBe(5000);
    expect(sendRetryDelayMs(3)).toBe(20000);
    expect(sendRetryDelayMs(40)).toBe(30 * 60_000);
    expect(outcomeCheckDelayMs(0)).toBe(5_000);
    expect(outcomeCheckDelayMs(60_000)).toBe(15_000);
    expect(outcomeCheckDelayMs(24 * 3600_000)).toBe(10 * 60_000);
  });
});
