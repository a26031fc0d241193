import type { Category, Purpose } from '../triage.rules.js';

const BODIES: Partial<Record<Category, string>> = {
  lead: 'Thank you for your interest. I have passed your message to our team, and someone will get back to you shortly with the details you asked for.',
  question:
    'Thank you for your question. We have received it and will come back to you with an answer shortly.',
  support_request:
    'Thank you for reaching out. We have logged your request and our support team is looking into it; we will update you as soon as we know more.',
  billing:
    'Thank you for your message about billing. We have received it and our billing team will review it and reply shortly.',
  meeting_request:
    'Thank you for suggesting a meeting. We will check availability and come back to you with a time shortly.',
  personal: 'Thank you for your message. I have received it and will reply properly soon.',
};

const PURPOSE_NOTE: Record<Purpose, string> = {
  new_business: '',
  support: ' If this is urgent, please reply with any error messages or screenshots you have.',
  billing: ' Please include your invoice number if you have not already.',
  general: '',
  personal: '',
};

/**
 * The rules provider's reply: a fixed template per purpose and category, addressed by the
 * sender's first name. Nothing of the incoming message's text is echoed back.
 */
export function templateReply(
  purpose: Purpose,
  category: Category,
  fromName: string | null,
  signature: string,
): string | null {
  const body = BODIES[category];
  if (!body) return null;
  const first = firstName(fromName);
  const greeting = first ? `Hi ${first},` : 'Hello,';
  const closing = signature ? `Best regards,\n${signature}` : 'Best regards';
  return `${greeting}\n\n${body}${PURPOSE_NOTE[purpose]}\n\n${closing}`;
}

/** A plain first name, or null when the display name is not a plausible one. */
function firstName(name: string | null): string | null {
  const first = (name ?? '').trim().split(/\s+/)[0] ?? '';
  return /^[\p{L}][\p{L}'-]{0,30}$/u.test(first) ? first : null;
}
