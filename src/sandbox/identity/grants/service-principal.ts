import type { AppRegistration } from '../../model.js';
import type { EmulatorStore } from '../../store.js';

/**
 * An app has a service principal in its home tenant, and in another tenant once an admin or
 * any user there has consented to it.
 */
export function hasServicePrincipal(
  store: EmulatorStore,
  app: AppRegistration,
  tenantId: string,
): boolean {
  if (app.homeTenantId === tenantId) return true;
  if (store.directory.getAdminConsent(tenantId, app.clientId)) return true;
  return store.directory
    .listUsers(tenantId)
    .some((u) => store.grants.userConsentedScopes(u.id, app.clientId).length > 0);
}
