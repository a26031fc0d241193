import type { AppRegistration, MailboxPermissionKind, UserKind } from './model.js';
import type { NewMessage } from './store/mail.js';

/** A user to create; everything but displayName has a sensible default. */
export interface UserSeed {
  id?: string;
  displayName: string;
  givenName?: string;
  surname?: string;
  /** Defaults to `mail`, else `<first name>@<default domain>`. */
  userPrincipalName?: string;
  /** Defaults to the UPN when the user has a mailbox; null = no mailbox. */
  mail?: string | null;
  /** Defaults to `['SMTP:<mail>']` (none without a mailbox). Kept exactly as given. */
  proxyAddresses?: string[];
  /** Defaults to `mail !== null`. */
  hasMailbox?: boolean;
  kind?: UserKind;
  /** Defaults to true for `user`, false for shared, room and equipment mailboxes. */
  accountEnabled?: boolean;
  isAdmin?: boolean;
  jobTitle?: string;
  /** Messages placed in the mailbox (inbox unless `parentFolderId` says otherwise). */
  messages?: NewMessage[];
}

export interface TenantSeed {
  id?: string;
  /** Short name: `contoso` gives the default domain `contoso.onmicrosoft.com`. */
  name: string;
  /** Extra verified domains, e.g. `contoso.com`. */
  domains?: string[];
  /** Defaults to true. */
  userConsentAllowed?: boolean;
  users?: UserSeed[];
}

export type AppSeed = Partial<AppRegistration> & { displayName: string };

export interface MailboxPermissionSeed {
  /** Trustee and mailbox by id or by address. */
  trustee: string;
  mailbox: string;
  kind?: MailboxPermissionKind;
}

export interface AdminConsentSeed {
  tenantId: string;
  clientId: string;
  /** Defaults to the app's application permissions. */
  roles?: string[];
  /** Defaults to the app's delegated permissions. */
  scopes?: string[];
}

/** Everything a test needs in one call: tenants with users, apps, grants, admin consents. */
export interface SeedSpec {
  tenants?: TenantSeed[];
  apps?: AppSeed[];
  mailboxPermissions?: MailboxPermissionSeed[];
  adminConsents?: AdminConsentSeed[];
}
