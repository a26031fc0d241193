import { topicLabel } from './labels.js';

/**
 * Reason codes in words, with the next step. The mailbox's own words come from the API
 * (`statusMessage`, `statusAction`); the rest are mapped here, in one place.
 */

/** Button text of a mailbox's next step (`statusAction`). */
export const ACTION_LABEL = {
  reconnect: 'Reconnect',
  ask_admin: 'Get an admin consent link',
  wait: null,
  contact_support: null,
  none: null,
};

/** What the mailbox's badge needs said, and which button goes with it. */
export function mailboxStatus(mailbox) {
  if (mailbox.statusMessage !== undefined) {
    return { message: mailbox.statusMessage, action: mailbox.statusAction ?? 'none' };
  }
  if (mailbox.status === 'active' && !mailbox.statusReason)
    return { message: null, action: 'none' };
  if (mailbox.status === 'needs_reauth') {
    return { message: 'Microsoft needs this mailbox to sign in again.', action: 'reconnect' };
  }
  return {
    message: `The mailbox cannot be used right now (${mailbox.statusReason}).`,
    action: 'none',
  };
}

const SCAN_ERRORS = {
  mailbox_needs_reauth: 'the mailbox needs to be reconnected first',
};

/** Why the last identity discovery failed, and that Refresh retries it. */
export function scanProblem(mailbox) {
  const code = mailbox.identitiesScanError;
  if (!code) return null;
  const why = SCAN_ERRORS[code] ?? `Microsoft did not answer as expected (${code})`;
  return `The last identity check failed: ${why}. Refresh tries again.`;
}

export const IDENTITY_STATUS_TEXT = {
  inactive:
    'No longer an address of this mailbox. Kept with its sender profile in case it comes back.',
  send_as_denied:
    'Microsoft refused to send as this address. Ask your Microsoft 365 admin to grant Send As on that mailbox, then Verify again.',
};

/** Sender profiles: `notSendableReason`. */
export const PROFILE_REASON = {
  no_identity_assigned:
    'No identity is assigned. Assign at least one Active identity to this profile under Connected Mailboxes.',
  no_active_identity:
    'None of its identities is Active. Assign an Active identity, or Refresh / Verify the ones it has.',
  mailboxes_need_reauth:
    'The mailboxes of its identities need attention (reconnect them under Connected Mailboxes).',
  organization_needs_consent:
    "The organization's admin consent was withdrawn. Ask your Microsoft 365 admin to grant it again.",
  mailbox_access_denied:
    'An Exchange application access policy keeps ScendCore out of its mailbox. Ask your admin to include it.',
};

/** Outbound messages: `errorCode`. */
export const MESSAGE_ERROR = {
  no_identity_assigned: 'No Active identity is assigned to the sender profile.',
  no_sendable_identity: 'No identity of the sender profile can send right now.',
  mailbox_needs_reauth: 'The mailbox needs to be reconnected.',
  mailbox_token_unavailable: 'Microsoft is not answering token requests; it is retried.',
  send_as_denied: 'Microsoft refused Send As for the address.',
  send_outcome_unknown:
    'Microsoft did not confirm the send; Sent Items is checked before retrying.',
};

/** The API's own words first; the code mapped here otherwise. */
export function messageProblem(message) {
  if (!message.errorCode) return '';
  return message.errorMessage ?? MESSAGE_ERROR[message.errorCode] ?? message.errorCode;
}

/** Inbound AI: why a message was only triaged or skipped (`reason`). */
const INBOUND_REASON = {
  behavior_triage_only: 'AI Behavior is Triage Only: classified and labelled, no reply.',
  behavior_disabled: 'AI Behavior is Disabled.',
  behavior_reply_only: 'Reply Only: ScendCore did not start this thread.',
  thread_not_owned: 'Reply Only: ScendCore did not start this thread.',
  low_confidence: 'The AI was not sure enough to reply.',
  ai_provider_unavailable: 'The AI provider did not answer; classified by rules, no reply.',
  own_identity: 'Sent by one of your own mailboxes.',
  system_sender: 'Sent by a system address (no-reply, mailer-daemon).',
  auto_submitted: 'An automatic message.',
  auto_reply: 'An automatic reply.',
  out_of_office: 'An out-of-office reply.',
  ai_reply: 'Another AI reply.',
  list_id: 'Mailing-list mail.',
  list_unsubscribe: 'Newsletter or mailing-list mail.',
  precedence_bulk: 'Bulk mail.',
  delivery_or_read_report: 'A delivery or read report.',
  thread_reply_cap: 'This conversation already had the day’s AI replies.',
  ai_reply_in_a_row:
    'The AI already answered in this conversation; it answers again only after someone on your team has written in it.',
  daily_ai_reply_cap_reached:
    'The mailbox reached its daily AI-reply cap; a person answers this one (or the cap is raised).',
  waiting_for_business_hours: 'The reply waits until business hours begin.',
  waiting_for_mailbox_limit: 'The reply waits for the mailbox’s sending limit.',
  waiting_for_reconnect: 'The reply waits until the mailbox is reconnected.',
  waiting_for_identity: 'The reply waits for an address it can be sent from.',
  reply_discarded: 'Someone discarded the AI’s draft; nothing was sent.',
  reply_cancelled: 'Someone cancelled the scheduled AI reply; nothing was sent.',
  contains_address: 'The AI’s text contained an address, so it was not sent.',
  contains_link: 'The AI’s text contained a link, so it was not sent.',
  inbound_disabled: 'Inbound AI was turned off before the reply went out.',
  not_answerable: 'Not a kind of mail the AI answers.',
  no_sender: 'The message has no sender to answer.',
  empty_return_path: 'An automatic message (no return address).',
  auto_response_suppress: 'The sender asked for no automatic replies.',
  message_deleted: 'The message was deleted in Outlook before the AI answered.',
  reply_outcome_unknown_checking_sent_items:
    'Microsoft did not confirm the reply; Sent Items is checked before anything is sent again.',
  'escalated:below_confidence_floor':
    'Escalated: the AI was not sure enough what the message is about.',
};

export function inboundReason(code) {
  if (!code) return '';
  if (INBOUND_REASON[code]) return INBOUND_REASON[code];
  if (code.startsWith('escalated:')) return `Escalated: ${topicLabel(code.slice(10))}.`;
  if (code.startsWith('opt_out:'))
    return 'The sender asked not to be written to: added to the suppression list.';
  if (code.startsWith('reply_not_possible:')) return 'Microsoft refused to make the reply.';
  if (code.startsWith('not_a_conversation:')) return 'Not a conversation to answer.';
  return code.replace(/_/g, ' ');
}

/** Suppression list: `reason` → [short label, what it means]. */
export const SUPPRESSION_REASON = {
  hard_bounce: ['Hard bounce', 'Mail to the address came back as undeliverable for good.'],
  unsubscribe: ['Unsubscribed', 'The person asked not to be written to again.'],
  complaint: ['Complaint', 'The person complained about the mail.'],
  manual: ['Added by hand', 'Someone on your team added it.'],
};
