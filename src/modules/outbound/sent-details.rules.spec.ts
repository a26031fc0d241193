import { describe, expect, it } from '@jest/globals';
import { nextDetailsStep, type SentDetailsSettings } from './sent-details.rules.js';

const SETTINGS: SentDetailsSettings = { retryMs: 30_000, maxAttempts: 4, maxAgeMs: 86_400_000 };
const SENT = new Date('2026-11-30T10:00:00Z');
const at = (ms: number) => new Date(SENT.getTime() + ms);

describe('sent-details rules', () => {
  it('found → the ids are stored', () => {
    const step = nextDetailsStep(
      { sentAt: SENT, attempts: 2 },
      { kind: 'found', internetMessageId: '<a@b>', conversationId: 'c1' },
      at(60_000),
      SETTINGS,
    );
    expect(step).toEqual({ kind: 'store', internetMessageId: '<a@b>', conversationId: 'c1' });
  });

  it('not found → looked up again, waiting twice as long each time, until the attempt bound', () => {
    const now = at(120_000);
    const delays = [0, 1, 2].map((attempts) => {
      const step = nextDetailsStep(
        { sentAt: SENT, attempts },
        { kind: 'not_found' },
        now,
        SETTINGS,
      );
      expect(step).toMatchObject({ kind: 'retry', attempts: attempts + 1 });
      return step.kind === 'retry' ? step.at.getTime() - now.getTime() : -1;
    });
    expect(delays).toEqual([30_000, 60_000, 120_000]);
    expect(
      nextDetailsStep({ sentAt: SENT, attempts: 3 }, { kind: 'not_found' }, now, SETTINGS),
    ).toEqual({ kind: 'give_up', attempts: 4, reason: 'not_found' });
  });

  it('the wait between lookups is at most one hour', () => {
    const step = nextDetailsStep({ sentAt: SENT, attempts: 30 }, { kind: 'not_found' }, at(1000), {
      ...SETTINGS,
      maxAttempts: 100,
    });
    expect(step.kind === 'retry' && step.at.getTime() - at(1000).getTime()).toBe(3600_000);
  });

  it('not found past the age bound → given up even with attempts left', () => {
    expect(
      nextDetailsStep(
        { sentAt: SENT, attempts: 0 },
        { kind: 'not_found' },
        at(86_400_000),
        SETTINGS,
      ),
    ).toEqual({ kind: 'give_up', attempts: 1, reason: 'not_found' });
  });

  it('unreadable → no attempt is used; looked at again when the token is expected back', () => {
    const retryAt = at(400_000);
    expect(
      nextDetailsStep(
        { sentAt: SENT, attempts: 1 },
        { kind: 'unavailable', retryAt },
        at(100_000),
        SETTINGS,
      ),
    ).toEqual({ kind: 'retry', at: retryAt, attempts: 1 });
  });

  it('unreadable without a hint → a quarter of the age, between retryMs and 10 minutes', () => {
    const delay = (ageMs: number) => {
      const step = nextDetailsStep(
        { sentAt: SENT, attempts: 0 },
        { kind: 'unavailable', retryAt: at(ageMs - 1) },
        at(ageMs),
        SETTINGS,
      );
      return step.kind === 'retry' ? step.at.getTime() - at(ageMs).getTime() : -1;
    };
    expect(delay(10_000)).toBe(30_000);
    expect(delay(400_000)).toBe(100_000);
    expect(delay(10 * 3600_000)).toBe(600_000);
  });

  it('unreadable until the age bound → given up as unreadable, attempts unchanged', () => {
    expect(
      nextDetailsStep(
        { sentAt: SENT, attempts: 2 },
        { kind: 'unavailable' },
        at(86_400_000),
        SETTINGS,
      ),
    ).toEqual({ kind: 'give_up', attempts: 2, reason: 'unreadable' });
  });
});
