import { describe, expect, it } from '@jest/globals';
import {
  applyBooking,
  type BookingState,
  cloneState,
  decide,
  type Paced,
} from './booking-plan.rules.js';
import type { MessageRow } from './outbound.repository.js';

const now = new Date('2026-11-30T10:00:00Z');
const limits = { messagesPerWindow: 30, recipientsPerDay: 10_000 };
const outreach = { isReply: false, recipientCount: 1 } as MessageRow;
const reply = { isReply: true, recipientCount: 1 } as MessageRow;

function identity(id: string, mailboxId = `mb-${id}`, pace: Paced['pace'] = null): Paced {
  return {
    identityId: id,
    email: `${id}@contoso.com`,
    displayName: null,
    mailboxId,
    connectionType: 'delegated',
    msUserId: `u-${id}`,
    tenantId: 't',
    paceOverride: null,
    pace,
    zone: 'UTC',
  };
}

function state(partial: Partial<BookingState> = {}): BookingState {
  return {
    replyWaiting: false,
    pace: new Map(),
    usage: new Map(),
    lastUsed: new Map(),
    ...partial,
  };
}

const booked = (step: ReturnType<typeof decide>) =>
  step.kind === 'book' ? step.identity.identityId : step.result;

describe('decide', () => {
  it('books the least recently used identity, a never used one first', () => {
    const s = state({ lastUsed: new Map([['a', new Date(1000)]]) });
    expect(booked(decide(outreach, [identity('a'), identity('b')], s, now, limits))).toBe('b');
  });

  it('skips an identity whose mailbox is at the limit; full when every one is', () => {
    const full = { messagesInWindow: 30, recipientsInDay: 0 };
    const s = state({ usage: new Map([['mb-a', full]]) });
    expect(booked(decide(outreach, [identity('a'), identity('b')], s, now, limits))).toBe('b');
    s.usage.set('mb-b', full);
    expect(decide(outreach, [identity('a'), identity('b')], s, now, limits)).toEqual({
      kind: 'decided',
      result: 'full',
    });
  });

  it('waits (busy) when the turn’s mailbox has 3 sends going out, rather than pass the turn', () => {
    const s = state({
      lastUsed: new Map([['b', new Date(2000)]]),
      usage: new Map([['mb-a', { messagesInWindow: 3, recipientsInDay: 3, inFlight: 3 }]]),
    });
    expect(booked(decide(outreach, [identity('a'), identity('b')], s, now, limits))).toBe('busy');
    s.usage.set('mb-a', { messagesInWindow: 3, recipientsInDay: 3, inFlight: 2 });
    expect(booked(decide(outreach, [identity('a'), identity('b')], s, now, limits))).toBe('a');
  });

  it('holds outreach back while a reply waits; a reply goes, and is not paced', () => {
    const capped = identity('a', 'mb-a', { dailyCap: 1, gap: null, window: null, ramp: null });
    const s = state({
      replyWaiting: true,
      pace: new Map([['a', { sentToday: 1, gapUntil: null, firstSendAt: null }]]),
    });
    expect(booked(decide(outreach, [capped], s, now, limits))).toMatchObject({
      wait: 'replies_first',
    });
    expect(booked(decide(reply, [capped], s, now, limits))).toBe('a');
    s.replyWaiting = false;
    expect(booked(decide(outreach, [capped], s, now, limits))).toMatchObject({
      wait: 'daily_cap_reached',
    });
  });
});

describe('applyBooking', () => {
  it('counts the booking as the database would read it back', () => {
    const a = identity('a', 'mb-a', { dailyCap: 2, gap: null, window: null, ramp: null });
    const s = state({
      pace: new Map([['a', { sentToday: 1, gapUntil: null, firstSendAt: null }]]),
    });
    const before = cloneState(s);
    const gapUntil = new Date(now.getTime() + 60_000);
    applyBooking(s, outreach, { identity: a, stamp: now, gapUntil, pacedAt: now });
    expect(s.lastUsed.get('a')).toEqual(now);
    expect(s.usage.get('mb-a')).toEqual({ messagesInWindow: 1, recipientsInDay: 1, inFlight: 1 });
    expect(s.pace.get('a')).toEqual({ sentToday: 2, gapUntil, firstSendAt: now });
    expect(booked(decide(outreach, [a], s, now, limits))).toMatchObject({
      wait: 'daily_cap_reached',
    });
    // The copy taken before is untouched.
    expect(before.usage.size).toBe(0);
    expect(before.pace.get('a')?.sentToday).toBe(1);
    applyBooking(s, reply, { identity: a, stamp: now, gapUntil: null, pacedAt: now });
    expect(s.replyWaiting).toBe(true);
    expect(s.pace.get('a')?.sentToday).toBe(2);
  });
});
