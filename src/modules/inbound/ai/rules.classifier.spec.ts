import { describe, expect, it } from '@jest/globals';
import type { MessageForAi } from './ai-provider.js';
import { plainText } from './ai-provider.js';
import { templateReply } from './reply-templates.js';
import { classifyByRules } from './rules.classifier.js';

const msg = (
  subject: string,
  bodyText: string,
  purpose: MessageForAi['purpose'] = 'general',
): MessageForAi => ({
  purpose,
  fromAddress: 'x@y.example',
  fromName: 'Dana Buyer',
  subject,
  bodyText,
  mailboxName: 'Contoso Sales',
});

describe('rules provider', () => {
  it.each([
    ['Pricing for 50 seats', 'Could you send a quote?', 'new_business', 'lead'],
    ['Cannot log in', "I can't log in, the page shows an error", 'support', 'support_request'],
    ['Invoice INV-1', 'I was charged twice, please refund', 'billing', 'billing'],
    ['Meeting next week?', 'What is your availability on Tuesday?', 'general', 'meeting_request'],
    ['Lunch', 'Lunch on Friday? Happy birthday!', 'personal', 'personal'],
    ['Out of Office', 'I am currently away', 'general', 'out_of_office'],
    ['Undeliverable: hi', 'could not be delivered', 'general', 'bounce'],
    ['Our news', 'View this email in your browser. Unsubscribe', 'new_business', 'newsletter'],
    ['You have won', 'Claim your prize in the lottery', 'general', 'spam'],
    ['Hello', 'Just saying hi', 'general', 'other'],
  ] as const)('%s → %s', (subject, body, purpose, expected) => {
    expect(classifyByRules(msg(subject, body, purpose)).category).toBe(expected);
  });

  it('the purpose decides between conversational categories', () => {
    const text = 'The app shows an error on the pricing page?';
    expect(classifyByRules(msg('Help', text, 'support')).category).toBe('support_request');
  });

  it('templates never echo the message and greet only plausible first names', () => {
    expect(templateReply('new_business', 'lead', 'Dana Buyer', 'Contoso')).toMatch(/^Hi Dana,/);
    expect(templateReply('general', 'question', '<script>', 'Contoso')).toMatch(/^Hello,/);
    expect(templateReply('general', 'newsletter', 'Dana', 'Contoso')).toBeNull();
    expect(templateReply('general', 'question', 'Dana', '')).toMatch(/Best regards$/);
  });

  it('plain text of HTML bodies, bounded', () => {
    expect(
      plainText({
        contentType: 'html',
        content: '<p>Hi&nbsp;<b>there</b></p><script>x()</script>',
      }),
    ).toBe('Hi there');
    expect(plainText({ contentType: 'text', content: 'a'.repeat(10_000) })).toHaveLength(4000);
  });
});
