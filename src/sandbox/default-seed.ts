import type { SeedSpec } from './seed-spec.js';

/**
 * The default world (`seed: 'default'`, used by the CLI and `npm start` in sandbox mode).
 * Ids are fixed so tests and docs can name them.
 */
export const CONTOSO_TENANT_ID = '6f1c2b9e-4a3d-4e8b-9c51-2d7a0e3f8b14';
export const CONTOSO_DOMAIN = 'contoso.onmicrosoft.com';
export const CONTOSO_MAIL_DOMAIN = 'contoso.com';
export const FABRIKAM_TENANT_ID = '0b8e7d6c-5a4f-4c3b-8e2d-1f0a9b8c7d6e';
/** The publisher's own tenant, home of the sandbox app registration (no users). */
export const PUBLISHER_TENANT_ID = '9a0d4c1e-7b3f-4e52-a6c8-5d2e1f0b3a47';

export const SANDBOX_APP = {
  clientId: '3c9d1e7a-58b2-4f06-a9d4-7e1b2c3d4f50',
  clientSecret: 'sandbox~client-secret.NOT.A.REAL.SECRET',
  displayName: 'ScendCore (sandbox)',
  delegatedPermissions: [
    'openid',
    'profile',
    'email',
    'offline_access',
    'User.Read',
    'Mail.Send',
    'Mail.Send.Shared',
    'Mail.ReadWrite',
    'Mail.ReadWrite.Shared',
  ],
  applicationPermissions: ['Mail.Send', 'Mail.ReadWrite', 'User.Read.All', 'MailboxSettings.Read'],
} as const;

export const ADELE = {
  id: 'a1e5c0de-0001-4c1a-9a7e-0000000000a1',
  displayName: 'Adele Vance',
  mail: 'adele@contoso.com',
  userPrincipalName: 'adele@contoso.com',
  proxyAddresses: [
    'SMTP:adele@contoso.com',
    'smtp:adele.vance@contoso.com',
    'smtp: AV@Sales.Contoso.com',
    'SIP:adele@contoso.com',
    'X500:/o=ExchangeLabs/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=3f1b7a2c9d4e4b6f8a0c1d2e3f4a5b6c-Adele Vance',
  ],
} as const;

export const MEGAN = {
  id: 'b2f6d1ef-0002-4d2b-8b8f-0000000000b2',
  displayName: 'Megan Bowen',
  mail: 'megan@contoso.com',
  userPrincipalName: 'megan@contoso.com',
  proxyAddresses: ['SMTP:megan@contoso.com', 'smtp:megan.bowen@contoso.com'],
} as const;

export const SUPPORT_MAILBOX = {
  id: 'c3a7e2f0-0003-4e3c-9c90-0000000000c3',
  displayName: 'Contoso Support',
  mail: 'support@contoso.com',
  userPrincipalName: 'support@contoso.onmicrosoft.com',
  proxyAddresses: ['SMTP:support@contoso.com', 'smtp:help@contoso.com'],
} as const;

export const SVC_SCANNER = {
  id: 'd4b8f301-0004-4f4d-8da1-0000000000d4',
  displayName: 'Scanner Service Account',
  userPrincipalName: 'svc-scanner@contoso.com',
} as const;

export const CONTOSO_ADMIN = {
  id: 'e5c90412-0005-4a5e-9eb2-0000000000e5',
  displayName: 'MOD Administrator',
  mail: 'admin@contoso.onmicrosoft.com',
  userPrincipalName: 'admin@contoso.onmicrosoft.com',
} as const;

/** A second tenant whose policy blocks user consent ("Need admin approval"). */
export const FABRIKAM_ALEX = {
  id: 'f6da1523-0006-4b6f-8fc3-0000000000f6',
  displayName: 'Alex Wilber',
  mail: 'alex@fabrikam.com',
  userPrincipalName: 'alex@fabrikam.com',
} as const;

export const FABRIKAM_ADMIN = {
  id: '07eb2634-0007-4c70-90d4-000000000007',
  displayName: 'Fabrikam Administrator',
  mail: 'admin@fabrikam.onmicrosoft.com',
  userPrincipalName: 'admin@fabrikam.onmicrosoft.com',
} as const;

export function defaultSeed(): SeedSpec {
  return {
    tenants: [
      {
        id: CONTOSO_TENANT_ID,
        name: 'contoso',
        domains: [CONTOSO_MAIL_DOMAIN],
        userConsentAllowed: true,
        users: [
          {
            ...ADELE,
            proxyAddresses: [...ADELE.proxyAddresses],
            givenName: 'Adele',
            surname: 'Vance',
          },
          {
            ...MEGAN,
            proxyAddresses: [...MEGAN.proxyAddresses],
            givenName: 'Megan',
            surname: 'Bowen',
          },
          {
            ...SUPPORT_MAILBOX,
            proxyAddresses: [...SUPPORT_MAILBOX.proxyAddresses],
            kind: 'shared',
          },
          { ...SVC_SCANNER, mail: null, proxyAddresses: [], hasMailbox: false },
          { ...CONTOSO_ADMIN, isAdmin: true },
        ],
      },
      { id: PUBLISHER_TENANT_ID, name: 'scendcore', users: [] },
      {
        id: FABRIKAM_TENANT_ID,
        name: 'fabrikam',
        domains: ['fabrikam.com'],
        userConsentAllowed: false,
        users: [FABRIKAM_ALEX, { ...FABRIKAM_ADMIN, isAdmin: true }],
      },
    ],
    apps: [
      {
        ...SANDBOX_APP,
        delegatedPermissions: [...SANDBOX_APP.delegatedPermissions],
        applicationPermissions: [...SANDBOX_APP.applicationPermissions],
        homeTenantId: PUBLISHER_TENANT_ID,
        multiTenant: true,
        redirectUris: [],
        allowLoopbackRedirects: true,
      },
    ],
    mailboxPermissions: [{ trustee: ADELE.id, mailbox: SUPPORT_MAILBOX.id, kind: 'sendAs' }],
  };
}
