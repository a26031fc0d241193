import type { EmulatorStore } from '../../store.js';

/**
 * Whether the app may act app-only in the tenant: in its home tenant, or where an admin granted
 * consent for the organization. The emulator asks for admin consent even where users alone
 * consented (Entra ID would then issue a token without roles), so revoking admin consent
 * reliably ends app-only access.
 */
export function hasAppOnlyConsent(
  store: EmulatorStore,
  clientId: string,
  tenantId: string,
): boolean {
  const app = store.directory.getApp(clientId);
  if (!app) return false;
  return app.homeTenantId === tenantId || !!store.directory.getAdminConsent(tenantId, clientId);
}

/**
 * Deletes the app's enterprise application (service principal) from a tenant: the admin
 * consent, every user's consent and the refresh tokens users of the tenant hold for the app.
 * Returns how many refresh tokens were revoked.
 */
export function removeServicePrincipal(
  store: EmulatorStore,
  clientId: string,
  tenantId: string,
): number {
  store.directory.revokeAdminConsent(tenantId, clientId);
  for (const user of store.directory.listUsers(tenantId))
    store.grants.revokeUserConsent(user.id, clientId);
  const live = store.grants
    .listRefreshTokens()
    .filter((g) => g.tenantId === tenantId && g.clientId === clientId && !g.revoked);
  for (const grant of live) store.grants.revokeRefreshToken(grant.token);
  return live.length;
}
