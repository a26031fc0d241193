import { describe, expect, it } from '@jest/globals';
import { DEFAULT_ESCALATION_TOPICS } from './escalation.rules.js';
import {
  businessHoursWait,
  commandRefusal,
  effectivePolicy,
  initialReplyMode,
  reportedPolicy,
  initialReplyState,
  lastHumanMessageAt,
  type ReplySlotInput,
  replySlotRefusal,
} from './reply-policy.rules.js';

const at = (iso: string) => new Date(iso);

const slot = (over: Partial<ReplySlotInput> = {}): ReplySlotInput => ({
  mailboxRepliesToday: 0,
  dailyCap: 50,
  threadRepliesToday: 0,
  threadCap: 3,
  lastAiReplyAt: null,
  lastHumanMessageAt: null,
  ...over,
});

describe('reply slot', () => {
  it('a first AI reply in a thread under the caps is allowed', () => {
    expect(replySlotRefusal(slot())).toBeNull();
  });

  it('the daily AI-reply cap of the mailbox refuses the next reply', () => {
    expect(replySlotRefusal(slot({ mailboxRepliesToday: 49 }))).toBeNull();
    expect(replySlotRefusal(slot({ mailboxRepliesToday: 50 }))).toBe('daily_ai_reply_cap_reached');
    expect(replySlotRefusal(slot({ dailyCap: 0 }))).toBe('daily_ai_reply_cap_reached');
  });

  it('the thread cap still holds', () => {
    expect(
      replySlotRefusal(
        slot({
          threadRepliesToday: 3,
          lastAiReplyAt: at('2026-01-01T10:00:00Z'),
          lastHumanMessageAt: at('2026-01-01T11:00:00Z'),
        }),
      ),
    ).toBe('thread_reply_cap');
  });

  it('a second AI reply in a row is refused until a person wrote from the mailbox', () => {
    const ai = at('2026-01-01T10:00:00Z');
    expect(replySlotRefusal(slot({ lastAiReplyAt: ai }))).toBe('ai_reply_in_a_row');
    expect(
      replySlotRefusal(slot({ lastAiReplyAt: ai, lastHumanMessageAt: at('2026-01-01T09:00:00Z') })),
    ).toBe('ai_reply_in_a_row');
    expect(replySlotRefusal(slot({ lastAiReplyAt: ai, lastHumanMessageAt: ai }))).toBe(
      'ai_reply_in_a_row',
    );
    expect(
      replySlotRefusal(slot({ lastAiReplyAt: ai, lastHumanMessageAt: at('2026-01-01T10:05:00Z') })),
    ).toBeNull();
  });

  it('the human message is the newest sent one that is not an AI reply', () => {
    const sent = [
      { sentAt: at('2026-01-01T12:00:00Z'), marker: 'ai-1' },
      { sentAt: at('2026-01-01T11:00:00Z'), marker: null },
      { sentAt: at('2026-01-01T09:00:00Z'), marker: 'outreach-1' },
      { sentAt: null, marker: null },
    ];
    expect(lastHumanMessageAt(sent, new Set(['ai-1']))).toEqual(at('2026-01-01T11:00:00Z'));
    expect(lastHumanMessageAt(sent.slice(0, 1), new Set(['ai-1']))).toBeNull();
    expect(lastHumanMessageAt([], new Set())).toBeNull();
  });
});

describe('reply mode', () => {
  const now = at('2026-01-01T10:00:00Z');

  it('send goes now, review drafts now, delayed waits the undo window', () => {
    expect(initialReplyState('send', now, 300)).toEqual({ status: 'sending', dueAt: now });
    expect(initialReplyState('review', now, 300)).toEqual({ status: 'drafting', dueAt: now });
    expect(initialReplyState('delayed', now, 300)).toEqual({
      status: 'scheduled',
      dueAt: at('2026-01-01T10:05:00Z'),
    });
  });

  it('approve and discard need a draft awaiting review; cancel a scheduled reply', () => {
    expect(commandRefusal('approve', 'awaiting_review')).toBeNull();
    expect(commandRefusal('discard', 'awaiting_review')).toBeNull();
    expect(commandRefusal('cancel', 'scheduled')).toBeNull();
    for (const status of ['approved', 'sending', 'sent', 'discarded', 'drafting', 'failed'])
      expect(commandRefusal('approve', status)).toBe('reply_not_awaiting_review');
    for (const status of ['sending', 'sent', 'cancelled', 'awaiting_review'])
      expect(commandRefusal('cancel', status)).toBe('reply_not_scheduled');
  });

  it('a mailbox without stored settings (enabled before reply modes) keeps send', () => {
    const policy = effectivePolicy(null, 0.6);
    expect(policy).toMatchObject({
      replyMode: 'send',
      undoWindowSec: 300,
      dailyReplyCap: 50,
      confidenceFloor: 0.6,
      businessHours: null,
    });
    expect(policy.escalationTopics).toEqual(DEFAULT_ESCALATION_TOPICS);
  });

  it('stored settings win; null topics mean the defaults', () => {
    const stored = {
      replyMode: 'review',
      undoWindowSec: 60,
      dailyReplyCap: 5,
      escalationTopics: [],
      confidenceFloor: 0.8,
      businessHours: null,
    };
    expect(effectivePolicy(stored, 0.6)).toMatchObject({
      replyMode: 'review',
      dailyReplyCap: 5,
      escalationTopics: [],
      confidenceFloor: 0.8,
    });
    expect(effectivePolicy({ ...stored, escalationTopics: null }, 0.6).escalationTopics).toEqual(
      DEFAULT_ESCALATION_TOPICS,
    );
  });
});

describe('reported policy (GET reply-policy)', () => {
  const stored = {
    replyMode: 'send',
    undoWindowSec: 60,
    dailyReplyCap: 5,
    escalationTopics: null,
    confidenceFloor: null,
    businessHours: null,
  };

  it('a mailbox never enabled reports what enabling gives: review, source default', () => {
    const reported = reportedPolicy(null, false, 0.6);
    expect(reported.source).toBe('default');
    expect(reported.policy).toMatchObject({ replyMode: 'review', dailyReplyCap: 50 });
    expect(reported.policy.replyMode).toBe(initialReplyMode(false));
  });

  it('enabled before reply modes (no row): send, source legacy, as the pipeline applies it', () => {
    const reported = reportedPolicy(null, true, 0.6);
    expect(reported).toMatchObject({ source: 'legacy', policy: { replyMode: 'send' } });
    expect(reported.policy).toEqual(effectivePolicy(null, 0.6));
    expect(initialReplyMode(true)).toBe('send');
  });

  it('a stored row wins whether enabled or not (a disabled mailbox set to send stays send)', () => {
    for (const enabled of [true, false])
      expect(reportedPolicy(stored, enabled, 0.6)).toMatchObject({
        source: 'stored',
        policy: { replyMode: 'send', dailyReplyCap: 5, confidenceFloor: 0.6 },
      });
  });
});

describe('business hours', () => {
  const hours = { timeZone: 'Europe/Berlin', days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' };

  it('no window: any time', () => {
    expect(businessHoursWait(null, at('2026-01-03T03:00:00Z'))).toBeNull();
  });

  it('inside the window: now', () => {
    // Monday 5 January 2026, 10:00 in Berlin (UTC+1).
    expect(businessHoursWait(hours, at('2026-01-05T09:00:00Z'))).toBeNull();
  });

  it('outside: the next opening in the zone (Saturday waits for Monday 09:00 Berlin)', () => {
    expect(businessHoursWait(hours, at('2026-01-03T12:00:00Z'))).toEqual(
      at('2026-01-05T08:00:00Z'),
    );
    expect(businessHoursWait(hours, at('2026-01-05T16:30:00Z'))).toEqual(
      at('2026-01-06T08:00:00Z'),
    );
  });
});
