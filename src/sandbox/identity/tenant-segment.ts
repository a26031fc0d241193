import type { Tenant } from '../model.js';
import type { EmulatorStore } from '../store.js';
import { AadError } from './aad-error.js';

/** What the `{tenant}` path segment designates. */
export type TenantScope =
  | { kind: 'tenant'; tenant: Tenant }
  | { kind: 'organizations' | 'common' | 'consumers'; tenant: null };

const GENERIC = ['organizations', 'common', 'consumers'] as const;

/** Resolves a GUID, a verified domain, or a generic authority; unknown → AADSTS90002. */
export function resolveTenantSegment(store: EmulatorStore, segment: string): TenantScope {
  const lower = segment.toLowerCase();
  const generic = GENERIC.find((g) => g === lower);
  if (generic) return { kind: generic, tenant: null };
  const tenant = store.directory.findTenant(lower);
  if (!tenant) {
    throw new AadError(
      'invalid_request',
      90002,
      `Tenant '${segment}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
    );
  }
  return { kind: 'tenant', tenant };
}

/** Whether a user of `tenantId` may sign in at this authority. */
export function authorityAdmits(scope: TenantScope, tenantId: string): boolean {
  if (scope.kind === 'tenant') return scope.tenant.id === tenantId;
  // The emulator has no personal Microsoft accounts: `consumers` admits nobody.
  return scope.kind !== 'consumers';
}
