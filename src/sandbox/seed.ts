import { newGuid, opaqueToken } from './ids.js';
import type { AppRegistration, Tenant, User } from './model.js';
import type { AppSeed, SeedSpec, TenantSeed, UserSeed } from './seed-spec.js';
import type { EmulatorStore } from './store.js';

export type * from './seed-spec.js';
export * from './default-seed.js';
export { seedBulkTenant, type BulkTenantResult, type BulkTenantSpec } from './seed-bulk.js';

/** What a seed created, with every default filled in. */
export interface SeededWorld {
  tenants: Tenant[];
  users: User[];
  apps: AppRegistration[];
}

/** Adds the spec's tenants, users, apps and grants to the store (existing data is kept). */
export function applySeed(store: EmulatorStore, spec: SeedSpec): SeededWorld {
  const world: SeededWorld = { tenants: [], users: [], apps: [] };
  for (const tenantSeed of spec.tenants ?? []) seedTenant(store, tenantSeed, world);
  for (const appSeed of spec.apps ?? [])
    world.apps.push(store.directory.addApp(toApp(appSeed, store)));
  for (const p of spec.mailboxPermissions ?? []) {
    const trustee = resolveUser(store, p.trustee);
    const mailbox = resolveUser(store, p.mailbox);
    store.directory.grantMailboxPermission(trustee.id, mailbox.id, p.kind ?? 'sendAs');
  }
  for (const c of spec.adminConsents ?? []) {
    const app = store.directory.getApp(c.clientId);
    if (!app) throw new Error(`Admin consent for unknown app ${c.clientId}`);
    const roles = c.roles ?? app.applicationPermissions;
    store.directory.grantAdminConsent(
      c.tenantId,
      c.clientId,
      roles,
      c.scopes ?? app.delegatedPermissions,
    );
  }
  return world;
}

/** Finds a user by object id or by any of its addresses; throws when none matches. */
export function resolveUser(store: EmulatorStore, idOrAddress: string): User {
  const user =
    store.directory.getUser(idOrAddress) ?? store.directory.findUserByAddress(idOrAddress);
  if (!user) throw new Error(`Unknown user ${idOrAddress}`);
  return user;
}

function seedTenant(store: EmulatorStore, seed: TenantSeed, world: SeededWorld): void {
  const defaultDomain = `${seed.name.toLowerCase()}.onmicrosoft.com`;
  const tenant = store.directory.addTenant({
    id: seed.id ?? newGuid(),
    name: seed.name,
    defaultDomain,
    domains: [defaultDomain, ...(seed.domains ?? [])],
    userConsentAllowed: seed.userConsentAllowed ?? true,
  });
  world.tenants.push(tenant);
  for (const userSeed of seed.users ?? []) world.users.push(seedUser(store, tenant, userSeed));
}

/** Adds one user (with its mailbox and seeded messages) to an existing tenant. */
export function seedUser(store: EmulatorStore, tenant: Tenant, seed: UserSeed): User {
  const user = store.directory.addUser(toUser(seed, tenant));
  if (user.hasMailbox) seedMailbox(store, user, seed);
  return user;
}

function toUser(seed: UserSeed, tenant: Tenant): User {
  const firstName = seed.displayName.split(/\s+/)[0].toLowerCase();
  const upn = seed.userPrincipalName ?? seed.mail ?? `${firstName}@${tenant.defaultDomain}`;
  const mail = seed.mail === undefined ? upn : seed.mail;
  const hasMailbox = seed.hasMailbox ?? mail !== null;
  return {
    id: seed.id ?? newGuid(),
    tenantId: tenant.id,
    displayName: seed.displayName,
    givenName: seed.givenName ?? null,
    surname: seed.surname ?? null,
    userPrincipalName: upn,
    mail,
    proxyAddresses: seed.proxyAddresses ?? (mail ? [`SMTP:${mail}`] : []),
    hasMailbox,
    kind: seed.kind ?? 'user',
    isAdmin: seed.isAdmin ?? false,
    accountEnabled: seed.accountEnabled ?? (seed.kind ?? 'user') === 'user',
    jobTitle: seed.jobTitle ?? null,
  };
}

function seedMailbox(store: EmulatorStore, user: User, seed: UserSeed): void {
  store.mail.ensureMailbox(user.id);
  for (const message of seed.messages ?? []) store.mail.addMessage(user.id, message);
}

function toApp(seed: AppSeed, store: EmulatorStore): AppRegistration {
  const homeTenantId = seed.homeTenantId ?? store.directory.listTenants()[0]?.id;
  if (!homeTenantId) throw new Error(`App ${seed.displayName} needs a homeTenantId`);
  return {
    clientId: seed.clientId ?? newGuid(),
    clientSecret: seed.clientSecret ?? opaqueToken(30),
    displayName: seed.displayName,
    homeTenantId,
    multiTenant: seed.multiTenant ?? true,
    redirectUris: seed.redirectUris ?? [],
    allowLoopbackRedirects: seed.allowLoopbackRedirects ?? false,
    applicationPermissions: seed.applicationPermissions ?? [],
    delegatedPermissions: seed.delegatedPermissions ?? [
      'openid',
      'profile',
      'email',
      'offline_access',
      'User.Read',
    ],
  };
}
