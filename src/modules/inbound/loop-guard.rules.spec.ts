import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { type GuardInput, loopGuard, type MailHeader } from './loop-guard.rules.js';

const human = (over: Partial<GuardInput> = {}): GuardInput => ({
  from: 'dana@prospect.example',
  headers: [
    { name: 'From', value: 'Dana <dana@prospect.example>' },
    { name: 'Content-Type', value: 'text/plain; charset="utf-8"' },
    { name: 'Return-Path', value: '<dana@prospect.example>' },
  ],
  subject: 'Pricing for 50 seats',
  ownAddresses: new Set(['adele@contoso.com', 'sales@contoso.com']),
  repliesInThreadToday: 0,
  maxRepliesPerThreadPerDay: 3,
  ...over,
});

const reason = (input: GuardInput) => {
  const result = loopGuard(input);
  return result.pass ? null : result.reason;
};

/** Headers that each mark mail that must never get an AI reply, with the reason expected. */
const LOOP_HEADERS: Array<[MailHeader, string]> = [
  [{ name: 'Auto-Submitted', value: 'auto-replied' }, 'auto_submitted'],
  [{ name: 'auto-submitted', value: 'auto-generated' }, 'auto_submitted'],
  [{ name: 'Auto-Submitted', value: 'auto-replied (vacation)' }, 'auto_submitted'],
  [{ name: 'X-Auto-Response-Suppress', value: 'All' }, 'auto_response_suppress'],
  [{ name: 'X-Auto-Response-Suppress', value: 'DR, OOF, AutoReply' }, 'auto_response_suppress'],
  [{ name: 'Precedence', value: 'bulk' }, 'precedence_bulk'],
  [{ name: 'Precedence', value: 'List' }, 'precedence_bulk'],
  [{ name: 'Precedence', value: 'junk' }, 'precedence_bulk'],
  [{ name: 'Precedence', value: 'auto_reply' }, 'precedence_bulk'],
  [{ name: 'List-Id', value: '<users.lists.example.org>' }, 'list_id'],
  [{ name: 'List-Unsubscribe', value: '<mailto:u@x.example>' }, 'list_unsubscribe'],
  [{ name: 'Return-Path', value: '<>' }, 'empty_return_path'],
  [
    { name: 'Content-Type', value: 'multipart/report; report-type=delivery-status' },
    'delivery_or_read_report',
  ],
  [
    { name: 'Content-Type', value: 'multipart/report; report-type=disposition-notification' },
    'delivery_or_read_report',
  ],
  [{ name: 'X-Autoreply', value: 'yes' }, 'auto_reply'],
  [{ name: 'X-MS-Exchange-Inbox-Rules-Loop', value: 'a@b.example' }, 'auto_reply'],
  [{ name: 'X-ScendCore-AI-Reply', value: '1' }, 'ai_reply'],
];

describe('loop guard', () => {
  it('a person writing passes', () => {
    expect(loopGuard(human())).toEqual({ pass: true });
    expect(
      reason(human({ headers: [...human().headers, { name: 'Auto-Submitted', value: 'no' }] })),
    ).toBeNull();
    expect(
      reason(
        human({ headers: [...human().headers, { name: 'Precedence', value: 'first-class' }] }),
      ),
    ).toBeNull();
  });

  it.each(LOOP_HEADERS)('%j → skipped (%s)', (header, expected) => {
    const headers = [
      ...human().headers.filter((h) => h.name.toLowerCase() !== header.name.toLowerCase()),
      header,
    ];
    expect(reason(human({ headers }))).toBe(expected);
  });

  it.each([
    ['mailer-daemon@relay.example', 'system_sender'],
    ['MAILER-DAEMON@relay.example', 'system_sender'],
    ['postmaster@fabrikam.example', 'system_sender'],
    ['no-reply@accounts.example', 'system_sender'],
    ['noreply@x.example', 'system_sender'],
    ['donotreply@x.example', 'system_sender'],
    ['do-not-reply@x.example', 'system_sender'],
    ['bounces+abc=x@lists.example', 'system_sender'],
    ['adele@contoso.com', 'own_identity'],
    ['SALES@contoso.com', 'own_identity'],
    [null, 'no_sender'],
  ])('sender %s → %s', (from, expected) => {
    expect(reason(human({ from }))).toBe(expected);
  });

  it.each([
    'Automatic reply: Hello',
    'Out of Office: Sam',
    'Auto-Reply: thanks',
    'AutoReply',
    'Abwesenheitsnotiz: Urlaub',
  ])('out-of-office subject %s → out_of_office', (subject) =>
    expect(reason(human({ subject }))).toBe('out_of_office'),
  );

  it('stops a thread at N AI replies per day', () => {
    expect(reason(human({ repliesInThreadToday: 2 }))).toBeNull();
    expect(reason(human({ repliesInThreadToday: 3 }))).toBe('thread_reply_cap');
    expect(reason(human({ maxRepliesPerThreadPerDay: 0 }))).toBe('thread_reply_cap');
  });

  const headerArb = fc.record({
    name: fc.stringMatching(/^X-[A-Za-z]{1,12}$/),
    value: fc.string({ maxLength: 40 }),
  });

  it('property: any loop marker among any other headers, in any order, is never answered', () => {
    fc.assert(
      fc.property(
        fc.array(headerArb, { maxLength: 8 }),
        fc.constantFrom(...LOOP_HEADERS),
        fc.nat(8),
        fc.boolean(),
        (others, [marker], at, upper) => {
          const named = {
            ...marker,
            name: upper ? marker.name.toUpperCase() : marker.name.toLowerCase(),
          };
          const headers = [...others];
          headers.splice(Math.min(at, headers.length), 0, named);
          return !loopGuard(human({ headers })).pass;
        },
      ),
    );
  });

  it('property: unrelated X- headers never make a person look automated', () => {
    fc.assert(
      fc.property(
        fc.array(
          headerArb.filter((h) => !/^x-(auto|ms-exchange|scendcore)/i.test(h.name)),
          { maxLength: 8 },
        ),
        (extra) => loopGuard(human({ headers: [...human().headers, ...extra] })).pass,
      ),
    );
  });

  it('property: the cap holds for any count and limit', () => {
    fc.assert(
      fc.property(
        fc.nat(50),
        fc.nat(50),
        (count, max) =>
          loopGuard(human({ repliesInThreadToday: count, maxRepliesPerThreadPerDay: max })).pass ===
          count < max,
      ),
    );
  });

  it('property: own addresses are recognised whatever their case', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z]{1,10}$/), fc.boolean(), (local, upper) => {
        const address = `${local}@contoso.com`;
        const from = upper ? address.toUpperCase() : address;
        return reason(human({ from, ownAddresses: new Set([address]) })) === 'own_identity';
      }),
    );
  });
});
