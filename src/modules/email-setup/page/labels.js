/** Words for the API's enumerations. */
export const MAILBOX_STATUS = {
  active: ['Active', 'ok'],
  needs_reauth: ['Needs re-auth', 'warn'],
  error: ['Error', 'bad'],
};

export const CONNECTION_TYPE = {
  delegated: 'Signed in by a user',
  organization: 'Organization (admin consent)',
};

export const PROVIDER = { microsoft: 'Microsoft 365' };

export const IDENTITY_TYPE = { primary: 'Primary', alias: 'Alias', send_as: 'Send As' };

export const IDENTITY_STATUS = {
  active: ['Active', 'ok'],
  inactive: ['Inactive', ''],
  send_as_denied: ['Send As denied', 'bad'],
};

export const PURPOSES = [
  ['new_business', 'New Business'],
  ['support', 'Support'],
  ['general', 'General'],
  ['billing', 'Billing'],
  ['personal', 'Personal'],
];

export const BEHAVIORS = [
  ['full_auto', 'Full Auto', 'AI answers every conversation a person started.'],
  [
    'reply_only',
    'Reply Only',
    'AI continues only threads ScendCore started or already replied in.',
  ],
  ['triage_only', 'Triage Only', 'AI classifies and routes (categories, flags); it never replies.'],
  ['disabled', 'Disabled', 'No AI processing.'],
];

export const MESSAGE_STATUS = {
  queued: ['Queued', 'info'],
  sending: ['Sending', 'info'],
  sent: ['Sent', 'ok'],
  failed: ['Failed', 'bad'],
  cancelled: ['Cancelled', ''],
};

export const ORGANIZATION_STATUS = {
  active: ['Active', 'ok'],
  syncing: ['Syncing', 'info'],
  needs_consent: ['Needs consent', 'warn'],
};

export const INBOUND_ACTION = {
  replied: 'Replied',
  triaged: 'Triaged',
  skipped: 'Skipped',
  failed: 'Failed',
};

export function labelOf(pairs, value) {
  return pairs.find(([key]) => key === value)?.[1] ?? value;
}

export const INBOUND_CATEGORY = {
  lead: 'Lead',
  question: 'Question',
  support_request: 'Support request',
  billing: 'Billing',
  meeting_request: 'Meeting request',
  personal: 'Personal',
  out_of_office: 'Out of office',
  bounce: 'Bounce',
  newsletter: 'Newsletter',
  spam: 'Spam',
  other: 'Other',
};
