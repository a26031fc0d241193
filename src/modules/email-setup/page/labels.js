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
  escalated: 'Escalated to a person',
  discarded: 'Reply discarded',
  cancelled: 'Reply cancelled',
};

/** Reply modes: [value, label, what it means]. */
export const REPLY_MODES = [
  ['send', 'Send at once', 'AI replies go out as soon as they are written.'],
  [
    'review',
    'Review first',
    'AI replies wait as drafts under Replies awaiting review until someone approves, edits or discards them.',
  ],
  [
    'delayed',
    'Send after a delay',
    'AI replies go out after the undo window; until then anyone can cancel them under Scheduled replies.',
  ],
];

/** AI reply status (`GET /v1/inbound/replies`): [label, badge tone]. */
export const REPLY_STATUS = {
  drafting: ['Being written', 'info'],
  awaiting_review: ['Awaiting review', 'warn'],
  scheduled: ['Scheduled', 'info'],
  approved: ['Approved, sending…', 'info'],
  sending: ['Sending…', 'info'],
  sent: ['Sent', 'ok'],
  discarded: ['Discarded', ''],
  cancelled: ['Cancelled', ''],
  failed: ['Failed', 'bad'],
};

/** Escalation topics in words (the defaults; a team's own topics show as written). */
export const ESCALATION_TOPIC = {
  pricing: 'Pricing or a quote',
  refund: 'A refund',
  cancellation: 'A cancellation',
  contract: 'A contract or agreement',
  legal: 'A legal matter',
  complaint: 'A complaint',
  unsubscribe: 'A request to stop writing',
  talk_to_a_human: 'Asks for a person',
};

export function topicLabel(topic) {
  return ESCALATION_TOPIC[topic] ?? topic.replace(/_/g, ' ');
}

/** Weekdays as the API numbers them (0 = Sunday), listed Monday first. */
export const WEEKDAYS = [
  [1, 'Mon', 'Monday'],
  [2, 'Tue', 'Tuesday'],
  [3, 'Wed', 'Wednesday'],
  [4, 'Thu', 'Thursday'],
  [5, 'Fri', 'Friday'],
  [6, 'Sat', 'Saturday'],
  [0, 'Sun', 'Sunday'],
];

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
