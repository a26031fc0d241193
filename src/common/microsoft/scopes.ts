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
