/**
 * Types of the emulator's in-memory world. Shapes follow Microsoft Entra ID and Graph v1.0 so
 * handlers can return them with little mapping.
 */

export interface Tenant {
  id: string;
  name: string;
  /** First verified domain, e.g. `contoso.onmicrosoft.com`. */
  defaultDomain: string;
  /** Every verified domain (includes defaultDomain), lower case. */
  domains: string[];
  /** Whether ordinary users may consent to apps themselves (tenant consent policy). */
  userConsentAllowed: boolean;
}

/** An admin's tenant-wide grant to an app: application roles and delegated scopes. */
export interface AdminConsent {
  tenantId: string;
  clientId: string;
  /** Application permissions, e.g. `Mail.Send`, delivered in the `roles` claim. */
  roles: string[];
  /** Delegated scopes consented for every user of the tenant. */
  scopes: string[];
  grantedAt: Date;
}

/**
 * What a mailbox is for (Exchange's recipient type, Graph `mailboxSettings.userPurpose`). Shared,
 * room and equipment mailboxes are user objects with sign-in blocked (`accountEnabled: false`).
 */
export type UserKind = 'user' | 'shared' | 'room' | 'equipment';

export interface User {
  /** Object id (GUID): the `oid` claim and Graph `id`. */
  id: string;
  tenantId: string;
  displayName: string;
  givenName: string | null;
  surname: string | null;
  userPrincipalName: string;
  /** Primary SMTP address; null for accounts without a mailbox. */
  mail: string | null;
  /** Exactly as seeded, e.g. `SMTP:a@x.com`, `smtp: A@Y.com`, `SIP:…`, `X500:…`. */
  proxyAddresses: string[];
  hasMailbox: boolean;
  kind: UserKind;
  /** Global administrator: may grant admin consent for the tenant. */
  isAdmin: boolean;
  accountEnabled: boolean;
  jobTitle: string | null;
  /** mailboxSettings.timeZone as Exchange reports it (a Windows name); UTC when unset. */
  timeZone?: string;
}

export type MailboxPermissionKind = 'sendAs' | 'sendOnBehalf';

/** An Exchange permission of `trusteeId` on the mailbox of `mailboxId`. */
export interface MailboxPermission {
  trusteeId: string;
  mailboxId: string;
  kind: MailboxPermissionKind;
}

export interface AppRegistration {
  clientId: string;
  clientSecret: string;
  displayName: string;
  homeTenantId: string;
  /** Multi-tenant apps may sign in users of any tenant (`AzureADMultipleOrgs`). */
  multiTenant: boolean;
  redirectUris: string[];
  /**
   * Accept any `http://localhost:*` / `http://127.0.0.1:*` redirect URI. Entra ID does this
   * for loopback redirects of public clients; the sandbox app enables it so a service on any
   * local port works out of the box.
   */
  allowLoopbackRedirects: boolean;
  /** Application permissions configured on the registration (granted by admin consent). */
  applicationPermissions: string[];
  /** Statically configured delegated permissions (what `.default` expands to). */
  delegatedPermissions: string[];
}

export interface AuthorizationCode {
  code: string;
  clientId: string;
  redirectUri: string;
  userId: string;
  tenantId: string;
  /** The `{tenant}` segment of the authorize request; the code must be redeemed there. */
  tenantSegment: string;
  /** Scopes as granted, including OIDC ones (openid, profile, email, offline_access). */
  scopes: string[];
  nonce: string | null;
  codeChallenge: string | null;
  codeChallengeMethod: 'S256' | 'plain' | null;
  issuedAt: Date;
  expiresAt: Date;
  redeemed: boolean;
}

export interface RefreshTokenGrant {
  token: string;
  userId: string;
  tenantId: string;
  clientId: string;
  scopes: string[];
  issuedAt: Date;
  revoked: boolean;
}

/** What the sign-in and consent pages are working on, kept server-side between pages. */
export interface PendingInteraction {
  id: string;
  kind: 'authorize' | 'adminconsent';
  /** The `{tenant}` segment of the request: a GUID, a domain, or organizations/common/consumers. */
  tenantSegment: string;
  clientId: string;
  redirectUri: string;
  /** Query/form parameters of the original request. */
  params: Record<string, string>;
  userId: string | null;
  expiresAt: Date;
}
