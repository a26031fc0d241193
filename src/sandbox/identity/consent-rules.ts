import type { Tenant, User } from '../model.js';
import type { EmulatorStore } from '../store.js';
import type { RequestedScopes } from './scopes.js';

/** Scopes the user (or an admin, tenant-wide) has already granted the app. */
export function grantedScopes(store: EmulatorStore, user: User, clientId: string): string[] {
  const admin = store.directory.getAdminConsent(user.tenantId, clientId)?.scopes ?? [];
  return [...new Set([...store.grants.userConsentedScopes(user.id, clientId), ...admin])];
}

/** Requested scopes that still need consent (OIDC ones included, as Entra ID lists them). */
export function missingScopes(
  store: EmulatorStore,
  user: User,
  clientId: string,
  requested: RequestedScopes,
): string[] {
  const granted = new Set(grantedScopes(store, user, clientId));
  return [...requested.oidc, ...requested.graph].filter((s) => !granted.has(s));
}

/** Tenants may forbid user consent; administrators can always consent. */
export function mayConsent(tenant: Tenant, user: User): boolean {
  return tenant.userConsentAllowed || user.isAdmin;
}
