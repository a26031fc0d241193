import { describe, expect, it } from '@jest/globals';
import type { InboundMessageRow } from './inbound-message.repository.js';
import { replyStatusOf } from './dto/ai-reply.dto.js';
import {
  aiReplyStatus,
  consoleReplyPolicy,
  consoleReplyStatus,
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

describe('consoleReplyStatus', () => {
  it('is the reply’s own status when it has one, else sent / booked / none', () => {
    const base = { replySentAt: null, replyBookedAt: at(2) };
    expect(consoleReplyStatus({ ...base, replyStatus: 'awaiting_review' })).toBe('awaiting_review');
    expect(consoleReplyStatus({ ...base, replyStatus: 'discarded' })).toBe('discarded');
    expect(consoleReplyStatus({ ...base, replyStatus: null })).toBe('booked');
    expect(consoleReplyStatus({ replySentAt: null, replyBookedAt: null, replyStatus: null })).toBe(
      'none',
    );
  });
});

describe('aiReplyStatus', () => {
  it.each([
    ['awaiting_review', null],
    ['scheduled', null],
    ['cancelled', 'cancelled'],
    [null, 'replied'],
    [null, 'failed'],
    [null, null],
    [null, 'triaged'],
  ] as const)('%s / %s: as the REST API answers it', (status, action) => {
    const row = { replyStatus: status, action } as unknown as InboundMessageRow;
    expect(aiReplyStatus({ replyStatus: status, action })).toBe(replyStatusOf(row));
  });
});

describe('consoleReplyPolicy', () => {
  const stored = {
    replyMode: 'delayed',
    undoWindowSec: 120,
    dailyReplyCap: 20,
    escalationTopics: [{ topic: 'pricing', phrases: ['price'] }],
    confidenceFloor: null,
    businessHours: { timeZone: 'Europe/Berlin', days: [1, 2], start: '09:00', end: '17:00' },
  };
  it('a stored policy, defaults filled in', () => {
    expect(consoleReplyPolicy(stored, false, 0.6)).toEqual({
      source: 'stored',
      policy: { ...stored, confidenceFloor: 0.6 },
    });
  });
  it('enabled before reply modes: send with the default guard rails', () => {
    const view = consoleReplyPolicy(null, true, 0.6);
    expect(view.source).toBe('defaults');
    expect(view.policy).toMatchObject({
      replyMode: 'send',
      dailyReplyCap: 50,
      businessHours: null,
    });
    expect(view.policy?.escalationTopics.map((t) => t.topic)).toContain('refund');
  });
  it('never enabled: no policy runs', () => {
    expect(consoleReplyPolicy(null, false, 0.6)).toEqual({ source: 'none', policy: null });
  });
});
