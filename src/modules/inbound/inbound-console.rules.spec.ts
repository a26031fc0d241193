import { describe, expect, it } from '@jest/globals';
import {
  replyStatus,
  type SubscriptionHealth,
  subscriptionFailure,
} from './inbound-console.rules.js';

const now = new Date('2026-11-30T12:00:00Z');
const at = (minutesBefore: number) => new Date(now.getTime() - minutesBefore * 60_000);
const healthy: SubscriptionHealth = {
  state: 'active',
  mode: 'notifications',
  graphSubscriptionId: 'sub-1',
  expiresAt: at(-60),
  lastError: null,
  lastErrorAt: null,
  lastCatchUpAt: at(5),
};

describe('subscriptionFailure', () => {
  it.each([
    ['healthy', {}, null],
    ['error after the last catch-up', { lastError: 'x', lastErrorAt: at(1) }, 'error'],
    [
      'error and no catch-up yet',
      { lastError: 'x', lastErrorAt: at(1), lastCatchUpAt: null },
      'error',
    ],
    ['error without a time', { lastError: 'x', lastErrorAt: null }, 'error'],
    ['error older than the last catch-up', { lastError: 'x', lastErrorAt: at(10) }, null],
    [
      'paused for re-auth',
      { state: 'paused', lastError: 'mailbox_needs_reauth', lastErrorAt: at(1) },
      'error',
    ],
    ['subscription expired', { expiresAt: at(1) }, 'expired'],
    ['expired but no subscription id', { expiresAt: at(1), graphSubscriptionId: null }, null],
    ['polling past an old expiry', { mode: 'polling', expiresAt: at(1) }, null],
    ['stopped with an error', { state: 'stopped', lastError: 'x', lastErrorAt: at(1) }, null],
    ['stopped and expired', { state: 'stopped', expiresAt: at(1) }, null],
  ] as const)('%s', (_name, overrides, expected) => {
    expect(subscriptionFailure({ ...healthy, ...overrides }, now)).toBe(expected);
  });
});

describe('replyStatus', () => {
  it('is sent, booked or none', () => {
    expect(replyStatus({ replySentAt: at(1), replyBookedAt: at(2) })).toBe('sent');
    expect(replyStatus({ replySentAt: null, replyBookedAt: at(2) })).toBe('booked');
    expect(replyStatus({ replySentAt: null, replyBookedAt: null })).toBe('none');
  });
});
