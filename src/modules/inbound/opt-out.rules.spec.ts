import { describe, expect, it } from '@jest/globals';
import { hardBouncedAddresses, isDeliveryReport, optOutOf, ownText } from './opt-out.rules.js';

const own = new Set(['adele@contoso.example']);

describe('opt-out rules', () => {
  it('knows delivery reports by their reporter or their report type', () => {
    expect(isDeliveryReport('postmaster@fabrikam.example', [])).toBe(true);
    expect(isDeliveryReport('MAILER-DAEMON@mail.example.net', [])).toBe(true);
    const report = {
      name: 'Content-Type',
      value: 'multipart/report; report-type=delivery-status;',
    };
    expect(isDeliveryReport('bounces@x.example', [report])).toBe(true);
    const mdn = {
      name: 'Content-Type',
      value: 'multipart/report; report-type=disposition-notification',
    };
    expect(isDeliveryReport('ann@x.example', [mdn])).toBe(false);
    expect(isDeliveryReport('ann@x.example', [])).toBe(false);
  });

  it.each([
    [
      "Your message to nobody@fabrikam.example couldn't be delivered.\nnobody wasn't found at fabrikam.example.",
      ['nobody@fabrikam.example'],
    ],
    ['<gone@example.net>: host mx.example.net said: 550 5.1.1 User unknown', ['gone@example.net']],
    ['Delivery to ann@x.example failed: 5.1.1 (sent by adele@contoso.example)', ['ann@x.example']],
  ])('reads the permanently failed addresses of a report', (text, expected) => {
    expect(hardBouncedAddresses(text, own)).toEqual(expected);
  });

  it.each([
    'Delivery to ann@x.example delayed: 4.4.7 will retry',
    'ann@x.example: 552 5.2.2 mailbox full',
    'Your message to ann@x.example was read on Monday',
  ])('never suppresses on a temporary failure or a receipt: %s', (text) => {
    expect(hardBouncedAddresses(text, own)).toEqual([]);
  });

  it.each([
    ['Re: intro', 'Please unsubscribe me.'],
    ['unsubscribe', ''],
    ['Re: intro', 'STOP'],
    ['Re: intro', 'We would like to unsubscribe.'],
    ['Re: intro', 'Take me off your list'],
    ['Re: intro', "Don't email me again."],
    ['Re: intro', 'Stop emailing me'],
    ['Re: intro', 'I want to opt out'],
  ])('reads an unsubscribe request (%s / %s)', (subject, body) => {
    expect(optOutOf(subject, body)).toBe('unsubscribe');
  });

  it('reads a complaint before an unsubscribe', () => {
    expect(optOutOf('Re: intro', 'This is spam. Unsubscribe me now.')).toBe('complaint');
  });

  it('ignores our own footer in the quoted message and ordinary replies', () => {
    const body =
      'Sounds good, Tuesday works.\n\nOn Mon, 2 Nov 2026, Adele wrote:\n> Hi\n> To unsubscribe, reply STOP';
    expect(optOutOf('Re: intro', body)).toBeNull();
    expect(optOutOf('Re: intro', 'Thanks!\n> unsubscribe')).toBeNull();
    expect(optOutOf('Pricing question', 'How much for 20 seats?')).toBeNull();
    expect(
      optOutOf('Our November news', 'Big news this month.\nUnsubscribe | Manage preferences'),
    ).toBeNull();
    expect(optOutOf('Webinar', 'Click here to unsubscribe from these updates.')).toBeNull();
  });

  it('keeps only the new part of a reply', () => {
    expect(ownText('new\n> old\nmore\n-----Original Message-----\nquoted')).toBe('new\nmore');
  });
});
