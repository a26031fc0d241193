/** Events published by the admin-consent module (payloads: ids and small facts). */
export interface OrganizationConsentGranted {
  organizationId: string;
  workspaceId: string;
  tenantId: string;
  /** The organization was connected before (needed consent again, or had been removed). */
  reconnected: boolean;
  /** `link`: an admin accepted our consent link; `sync`: a sync found consent back. */
  via: 'link' | 'sync';
}

export interface OrganizationConsentRevoked {
  organizationId: string;
  workspaceId: string;
  tenantId: string;
  /** Why app-only access ended, e.g. `consent_revoked`. */
  reason: string;
}
