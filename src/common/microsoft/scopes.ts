/** Delegated permissions requested at sign-in (design §5; Mail.Send.Shared is needed for Send As). */
export const DELEGATED_SCOPES = [
  'openid',
  'profile',
  'email',
  'offline_access',
  'User.Read',
  'Mail.ReadWrite',
  'Mail.Send',
  'Mail.ReadWrite.Shared',
  'Mail.Send.Shared',
  'Calendars.ReadWrite',
];

/**
 * Application permissions an organization connection asks its admin for (they come with
 * `https://graph.microsoft.com/.default` from the app registration), with what they allow.
 */
export const APPLICATION_PERMISSIONS: readonly { name: string; allows: string }[] = [
  {
    name: 'User.Read.All',
    allows: "Read the organization's user list: names, email addresses and aliases.",
  },
  {
    name: 'MailboxSettings.Read',
    allows: "Read mailbox settings, to tell shared mailboxes from former employees' accounts.",
  },
  {
    name: 'Mail.Send',
    allows: 'Send email as any user or shared mailbox of the organization.',
  },
  {
    name: 'Mail.ReadWrite',
    allows:
      'Read and write mail in all mailboxes: check Sent Items after sending, and process replies for mailboxes with Inbound AI turned on.',
  },
];
