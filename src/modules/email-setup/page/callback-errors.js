/**
 * The guide's troubleshooting text for each `?error=<code>` the sign-in and admin consent
 * callbacks send the browser back with. `next` names the button the notice offers.
 */
export const CONNECT_ERRORS = {
  invalid_state: {
    title: 'The sign-in could not be matched to this page (invalid_state)',
    text: 'A Connect sign-in works once, for 10 minutes, and only in the browser that started it. This one had expired, was already used, or was opened in another browser, so nothing was connected.',
    fix: 'Click Connect Microsoft again in this browser and finish the sign-in within 10 minutes.',
    next: 'connect',
  },
  token_exchange_failed: {
    title: 'Microsoft did not complete the sign-in (token_exchange_failed)',
    text: 'You accepted, but Microsoft’s token service refused or failed the exchange that gives ScendCore access. Nothing was connected.',
    fix: 'Try Connect again. If it keeps failing, Microsoft may be having an outage; try later or contact ScendCore support.',
    next: 'connect',
  },
  profile_fetch_failed: {
    title: 'The mailbox could not be read (profile_fetch_failed)',
    text: 'You signed in, but Microsoft Graph did not return a mailbox for that account: it has no Exchange Online mailbox (no license), or Graph failed.',
    fix: 'Pick an account that has an Outlook mailbox, then Connect again.',
    next: 'connect',
  },
  access_denied: {
    title: 'Permission was not granted (access_denied)',
    text: 'The sign-in was cancelled or the permissions were declined on Microsoft’s page, so nothing was connected.',
    fix: 'Connect again and choose Accept on Microsoft’s permissions page.',
    next: 'connect',
  },
  admin_consent_required: {
    title: 'Your organization needs an admin to approve ScendCore (admin_consent_required)',
    text: 'Your Microsoft 365 organization does not let users grant these permissions themselves (Microsoft shows “Need admin approval”).',
    fix: 'Ask your Microsoft 365 admin to approve ScendCore: create an admin consent link and send it to them. After they accept, Connect works, or their whole organization is connected.',
    next: 'admin_consent',
  },
};

export const ADMIN_CONSENT_ERRORS = {
  invalid_state: {
    title: 'The admin consent link was already used or has expired (invalid_state)',
    text: 'An admin consent link works once and for 24 hours.',
    fix: 'Create a new admin consent link and send it to your Microsoft 365 admin.',
    next: 'admin_consent',
  },
  access_denied: {
    title: 'The admin declined admin consent (access_denied)',
    text: 'The admin cancelled or declined on Microsoft’s admin consent page, so no organization was connected.',
    fix: 'If that was a mistake, create a new admin consent link; the admin must choose Accept.',
    next: 'admin_consent',
  },
  admin_consent_failed: {
    title: 'Microsoft did not confirm admin consent (admin_consent_failed)',
    text: 'Microsoft answered with an error, or consent was given for another organization than the link named.',
    fix: 'Make sure the admin signs in to the right organization, then create a new link.',
    next: 'admin_consent',
  },
};

/** The explanation for a callback error; unknown codes still get words and a way on. */
export function explainCallbackError(code, flow) {
  const table = flow === 'admin-consent' ? ADMIN_CONSENT_ERRORS : CONNECT_ERRORS;
  const known = table[code] ?? CONNECT_ERRORS[code] ?? ADMIN_CONSENT_ERRORS[code];
  if (known) return known;
  return {
    title: `The connection did not complete (${code})`,
    text: 'Microsoft or ScendCore reported an error this page does not know.',
    fix: 'Try again; if it persists, contact ScendCore support with this code.',
    next: 'connect',
  };
}

/** The guide's other troubleshooting entries. */
export const GUIDE_PROBLEMS = [
  {
    title: 'No identities appear',
    text: 'Identity discovery runs when a mailbox connects. If the table stays empty or misses an alias that was just added, click Refresh on the mailbox: it asks Microsoft again and says what changed.',
  },
  {
    title: 'Emails not sending',
    text: 'Make sure at least one identity has an Active status and is assigned to a sender profile. The profile’s badge says “Ready to send” when it is; otherwise it says what to fix.',
  },
  {
    title: 'A mailbox shows Needs re-auth',
    text: 'Microsoft no longer accepts the mailbox’s sign-in (password reset, revoked sessions, withdrawn consent). Click Reconnect and sign in as that mailbox; nothing else changes.',
  },
  {
    title: 'A Send As address shows Send As denied',
    text: 'The mailbox’s account lacks the Send As permission on that address. Your Exchange admin grants it (Exchange admin center → the shared mailbox → Delegation → Send As); then click Verify.',
  },
];
