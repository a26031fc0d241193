import { PACE_ERROR_CODES } from '../common/pace/pace-settings.js';

/**
 * What each REST operation may answer besides success: its own error codes, named here so the
 * OpenAPI document lists them (test/e2e/fuzz checks that every code a route answers is listed).
 * Codes every operation of its kind can answer are added by kind (see openapi-document.ts).
 */
export interface OperationDoc {
  summary: string;
  errors: string[];
  /** No ScendCore bearer token (health, OAuth hops, sandbox helpers). */
  public?: true;
}

/** HTTP status of every error code the API answers. */
export const ERROR_STATUS: Record<string, number> = {
  validation_failed: 400,
  invalid_json: 400,
  bad_request: 400,
  invalid_return_to: 400,
  // Outreach pace settings (sender profiles and identities): common/pace/pace-settings.ts
  pace_invalid: 400,
  pace_daily_cap_invalid: 400,
  pace_gap_invalid: 400,
  pace_window_days_invalid: 400,
  pace_window_time_invalid: 400,
  pace_window_empty: 400,
  pace_time_zone_unknown: 400,
  pace_ramp_invalid: 400,
  unauthenticated: 401,
  workspace_inactive: 403,
  not_found: 404,
  mailbox_not_found: 404,
  identity_not_found: 404,
  sender_profile_not_found: 404,
  message_not_found: 404,
  organization_not_found: 404,
  suppression_not_found: 404,
  reply_not_found: 404,
  identity_exists: 409,
  identity_not_removable: 409,
  mailbox_needs_reauth: 409,
  sender_profile_in_use: 409,
  idempotency_key_reused: 409,
  reply_not_awaiting_review: 409,
  reply_not_scheduled: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  mailbox_not_active: 422,
  send_as_denied: 422,
  no_sendable_identity: 422,
  too_many_recipients: 422,
  all_recipients_suppressed: 422,
  rate_limited: 429,
  internal_error: 500,
  discovery_failed: 502,
  verification_failed: 502,
  mailbox_token_unavailable: 503,
  unavailable: 503,
};

const GRAPH_CALL = ['mailbox_needs_reauth', 'mailbox_token_unavailable'];
const PACE = [...PACE_ERROR_CODES];

/** Keyed by `METHOD /path` as the OpenAPI document writes it. */
export const OPERATIONS: Record<string, OperationDoc> = {
  'GET /health/live': { summary: 'Liveness: the process answers', errors: [], public: true },
  'GET /health/ready': {
    summary: 'Readiness: the database answers',
    errors: ['unavailable'],
    public: true,
  },
  'POST /v1/sandbox/token': {
    summary: 'Sandbox mode only: a bearer token for a demo user and workspace',
    errors: ['not_found'],
    public: true,
  },
  'POST /v1/microsoft/connect': {
    summary: 'Start connecting a Microsoft 365 mailbox (binds the attempt to this browser)',
    errors: ['invalid_return_to'],
  },
  'GET /v1/microsoft/authorize': {
    summary: 'Browser hop to Microsoft sign-in (the authorizationUrl); needs the binding cookie',
    errors: [],
    public: true,
  },
  'GET /v1/microsoft/callback': {
    summary: 'Microsoft redirects here; 302 to returnTo with ?connected= or ?error=',
    errors: [],
    public: true,
  },
  'GET /v1/mailboxes': { summary: 'Connected mailboxes with their identities', errors: [] },
  'GET /v1/mailboxes/{id}': { summary: 'One connected mailbox', errors: ['mailbox_not_found'] },
  'DELETE /v1/mailboxes/{id}': {
    summary: 'Disconnect a mailbox (identities retired, queued sends cancelled)',
    errors: ['mailbox_not_found'],
  },
  'POST /v1/mailboxes/{id}/refresh': {
    summary: "Re-scan the mailbox's identities now; answers what changed",
    errors: ['mailbox_not_found', 'discovery_failed', ...GRAPH_CALL],
  },
  'PATCH /v1/mailboxes/{id}/inbound': {
    summary:
      'Inbound AI settings: toggle, purpose, behavior, reply mode and guard rails (escalation, cap, hours)',
    errors: ['mailbox_not_found'],
  },
  'POST /v1/mailboxes/{id}/send-as': {
    summary: 'Add a Send As address to the mailbox',
    errors: ['mailbox_not_found', 'identity_exists', 'mailbox_not_active'],
  },
  'POST /v1/identities/{id}/verify': {
    summary: 'Send a test message from the identity to its mailbox',
    errors: [
      'identity_not_found',
      'mailbox_not_found',
      'mailbox_not_active',
      'send_as_denied',
      'verification_failed',
      ...GRAPH_CALL,
    ],
  },
  'DELETE /v1/identities/{id}': {
    summary: 'Remove a hand-entered Send As address',
    errors: ['identity_not_found', 'identity_not_removable'],
  },
  'PATCH /v1/identities/{id}': {
    summary:
      "Assign to a sender profile (null unassigns), rename, and/or set the identity's own pace; partial",
    errors: ['identity_not_found', 'sender_profile_not_found', ...PACE],
  },
  'GET /v1/sender-profiles': { summary: 'Sender profiles with sendability', errors: [] },
  'POST /v1/sender-profiles': {
    summary: 'Create a sender profile (optionally with an outreach pace)',
    errors: [...PACE],
  },
  'GET /v1/sender-profiles/{id}': {
    summary: 'One sender profile',
    errors: ['sender_profile_not_found'],
  },
  'PATCH /v1/sender-profiles/{id}': {
    summary: 'Change a sender profile (its outreach pace too)',
    errors: ['sender_profile_not_found', ...PACE],
  },
  'DELETE /v1/sender-profiles/{id}': {
    summary: 'Delete a sender profile (409 while messages are queued, unless force=true)',
    errors: ['sender_profile_not_found', 'sender_profile_in_use'],
  },
  'POST /v1/messages': {
    summary: 'Queue a message for sending (202); Idempotency-Key replays answer the same message',
    errors: [
      'sender_profile_not_found',
      'no_sendable_identity',
      'too_many_recipients',
      'all_recipients_suppressed',
      'idempotency_key_reused',
    ],
  },
  'GET /v1/suppressions': {
    summary: "The workspace's suppression list, newest first",
    errors: [],
  },
  'POST /v1/suppressions': {
    summary: 'Add an address to the suppression list (201; 200 when it was already listed)',
    errors: [],
  },
  'DELETE /v1/suppressions/{id}': {
    summary: 'Take an address off the suppression list',
    errors: ['suppression_not_found'],
  },
  'GET /v1/messages': { summary: "The workspace's messages, newest first", errors: [] },
  'GET /v1/messages/{id}': {
    summary:
      'One message: status, attempts, identity, error; why it waits and until when; internetMessageId and conversationId once sent',
    errors: ['message_not_found'],
  },
  'GET /v1/inbound/messages': {
    summary:
      'Inbound messages with their classification and action (escalated ones with the topic)',
    errors: ['mailbox_not_found'],
  },
  'GET /v1/inbound/replies': {
    summary: 'AI replies: drafts awaiting review, delayed ones in their undo window, sent ones',
    errors: ['mailbox_not_found'],
  },
  'GET /v1/inbound/replies/{id}': { summary: 'One AI reply', errors: ['reply_not_found'] },
  'POST /v1/inbound/replies/{id}/approve': {
    summary: 'Approve a draft awaiting review (optionally edited): it is sent once, in-thread',
    errors: ['reply_not_found', 'reply_not_awaiting_review'],
  },
  'POST /v1/inbound/replies/{id}/discard': {
    summary: 'Discard a draft awaiting review: the draft is deleted, nothing is sent',
    errors: ['reply_not_found', 'reply_not_awaiting_review'],
  },
  'POST /v1/inbound/replies/{id}/cancel': {
    summary: 'Cancel a delayed reply in its undo window: nothing is sent',
    errors: ['reply_not_found', 'reply_not_scheduled'],
  },
  'GET /v1/inbound/mailboxes/{mailboxId}/reply-policy': {
    summary: "A mailbox's AI reply guard rails: reply mode, undo window, cap, escalation, hours",
    errors: ['mailbox_not_found'],
  },
  'POST /v1/microsoft/admin-consent': {
    summary: 'Start admin consent for a whole organization: a link for an IT admin',
    errors: ['invalid_return_to'],
  },
  'GET /v1/organizations': { summary: 'Organizations connected by admin consent', errors: [] },
  'GET /v1/organizations/{id}': {
    summary: 'One organization',
    errors: ['organization_not_found'],
  },
  'DELETE /v1/organizations/{id}': {
    summary: 'Remove an organization (its mailboxes retired, history kept)',
    errors: ['organization_not_found'],
  },
  'POST /v1/organizations/{id}/sync': {
    summary: "Re-read the organization's users now",
    errors: ['organization_not_found'],
  },
};
