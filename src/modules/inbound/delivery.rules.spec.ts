import { describe, expect, it } from '@jest/globals';
import {
  clientStateMatches,
  hashClientState,
  newSince,
  notifiedMessageId,
  renewAt,
} from './delivery.rules.js';

describe('delivery rules', () => {
  it('clientState: stored hashed, compared in constant time, anything else refused', () => {
    const stored = hashClientState('secret-state');
    expect(clientStateMatches('secret-state', stored)).toBe(true);
    expect(clientStateMatches('secret-statf', stored)).toBe(false);
    expect(clientStateMatches(undefined, stored)).toBe(false);
    expect(clientStateMatches('secret-state', null)).toBe(false);
    expect(clientStateMatches(42, stored)).toBe(false);
  });

  it('renews at half the lifetime', () => {
    expect(renewAt(new Date(0), new Date(1000)).getTime()).toBe(500);
  });

  it('delta: only messages received since enabling, never removals', () => {
    const since = new Date('2026-11-30T10:00:00Z');
    const items = [
      { id: 'old', removed: false, receivedDateTime: '2026-11-30T09:59:59Z' },
      { id: 'new', removed: false, receivedDateTime: '2026-11-30T10:00:00Z' },
      { id: 'gone', removed: true },
    ];
    expect(newSince(items, since).map((i) => i.id)).toEqual(['new']);
  });

  it('message id from resourceData or the resource path', () => {
    expect(notifiedMessageId({ resourceData: { id: 'AAMk1' } })).toBe('AAMk1');
    expect(notifiedMessageId({ resource: 'Users/u1/Messages/AAMk2' })).toBe('AAMk2');
    expect(notifiedMessageId({ resource: "users/u1/messages('AAMk3')" })).toBe('AAMk3');
    expect(notifiedMessageId({})).toBeNull();
  });
});
