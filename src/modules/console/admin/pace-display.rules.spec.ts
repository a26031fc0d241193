import { describe, expect, it } from '@jest/globals';
import { RECOMMENDED_PACE } from '../../../common/pace/pace-settings.js';
import { identityPaceDisplay, overrideText, paceText } from './pace-display.rules.js';

describe('pace display', () => {
  it('reads the recommended pace in one line, and off as Exchange limits only', () => {
    expect(paceText(RECOMMENDED_PACE)).toBe(
      '30 a day · 60–120 s apart · Mon–Fri 08:00–18:00 (mailbox time zone) · ramp 5 +5 a day',
    );
    expect(paceText(null)).toBe('off (Exchange limits only)');
    expect(
      paceText({
        dailyCap: null,
        gap: null,
        window: { days: [0, 6, 1], start: '09:00', end: '24:00', timeZone: 'Europe/Paris' },
        ramp: null,
      }),
    ).toBe('no daily cap · no gap · Mon, Sat, Sun 09:00–24:00 (Europe/Paris) · no ramp');
  });

  it("an identity's override lists only its own values; the effective pace merges them over the profile's", () => {
    expect(overrideText(null)).toBe("none (inherits the sender profile's pace)");
    expect(identityPaceDisplay(RECOMMENDED_PACE, { dailyCap: 10 })).toEqual({
      paceOverride: '10 a day',
      effectivePace:
        '10 a day · 60–120 s apart · Mon–Fri 08:00–18:00 (mailbox time zone) · ramp 5 +5 a day',
    });
    // No profile pace: only the identity's own values apply.
    expect(identityPaceDisplay(null, { gap: { minSeconds: 5, maxSeconds: 9 } })).toEqual({
      paceOverride: '5–9 s apart',
      effectivePace: 'no daily cap · 5–9 s apart · any time · no ramp',
    });
    expect(identityPaceDisplay(null, null).effectivePace).toBe('off (Exchange limits only)');
    // A stored value that does not parse counts as none (as the dispatcher reads it).
    expect(identityPaceDisplay({ dailyCap: 'many' }, null).effectivePace).toBe(
      'off (Exchange limits only)',
    );
  });
});
