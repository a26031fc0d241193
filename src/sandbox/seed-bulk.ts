import { newGuid, opaqueToken } from './ids.js';
import type { Tenant, User, UserKind } from './model.js';
import type { EmulatorStore } from './store.js';

/** A tenant with many generated users, for directory scans and paging at scale. */
export interface BulkTenantSpec {
  /** Adds to this tenant (id or domain) when it exists; otherwise a new tenant gets this id. */
  tenantId?: string;
  /** Short name of a new tenant (domain `<name>.onmicrosoft.com`); default `bulk-<random>`. */
  name?: string;
  /** How many users to generate. */
  users: number;
  /** Every n-th user (1-based index) is a shared mailbox. */
  sharedEvery?: number;
  /** Every n-th user is a person whose sign-in is blocked (mailbox kept). */
  disabledEvery?: number;
  /** Every n-th user has no mailbox (no `mail`, no proxy addresses). */
  noMailboxEvery?: number;
  roomEvery?: number;
  equipmentEvery?: number;
}

/** What `seedBulkTenant` made; users are named `<kind><index>@<defaultDomain>`. */
export interface BulkTenantResult {
  tenantId: string;
  defaultDomain: string;
  created: number;
  counts: Record<UserKind | 'disabled' | 'noMailbox', number>;
}

type Variant = UserKind | 'disabled' | 'noMailbox';

/**
 * Generates users straight into the store (no per-user seed processing). Precedence when
 * several `…Every` match one index: noMailbox, room, equipment, shared, disabled. Local parts:
 * `user00001`, `shared00002`, `room00003`, `equipment00004`, `disabled00005`, `nomailbox00006`.
 */
export function seedBulkTenant(store: EmulatorStore, spec: BulkTenantSpec): BulkTenantResult {
  if (!Number.isInteger(spec.users) || spec.users < 0 || spec.users > 1_000_000)
    throw new Error('users must be a whole number from 0 to 1,000,000');
  const tenant = bulkTenant(store, spec);
  const start = store.directory.listUsers(tenant.id).length;
  const counts: BulkTenantResult['counts'] = {
    user: 0,
    shared: 0,
    room: 0,
    equipment: 0,
    disabled: 0,
    noMailbox: 0,
  };
  for (let i = start + 1; i <= start + spec.users; i++) {
    const variant = variantOf(spec, i);
    counts[variant]++;
    const user = store.directory.addUser(bulkUser(tenant, variant, i));
    if (user.hasMailbox) store.mail.ensureMailbox(user.id);
  }
  return { tenantId: tenant.id, defaultDomain: tenant.defaultDomain, created: spec.users, counts };
}

function bulkTenant(store: EmulatorStore, spec: BulkTenantSpec): Tenant {
  const existing = spec.tenantId
    ? (store.directory.getTenant(spec.tenantId) ?? store.directory.findTenant(spec.tenantId))
    : undefined;
  if (existing) return existing;
  const name = (spec.name ?? `bulk-${opaqueToken(4).replace(/[^a-z0-9]/gi, '')}`).toLowerCase();
  const defaultDomain = `${name}.onmicrosoft.com`;
  return store.directory.addTenant({
    id: spec.tenantId ?? newGuid(),
    name,
    defaultDomain,
    domains: [defaultDomain],
    userConsentAllowed: true,
  });
}

function variantOf(spec: BulkTenantSpec, i: number): Variant {
  const every = (n: number | undefined) => n !== undefined && n > 0 && i % n === 0;
  if (every(spec.noMailboxEvery)) return 'noMailbox';
  if (every(spec.roomEvery)) return 'room';
  if (every(spec.equipmentEvery)) return 'equipment';
  if (every(spec.sharedEvery)) return 'shared';
  if (every(spec.disabledEvery)) return 'disabled';
  return 'user';
}

function bulkUser(tenant: Tenant, variant: Variant, i: number): User {
  const number = String(i).padStart(5, '0');
  const upn = `${variant.toLowerCase()}${number}@${tenant.defaultDomain}`;
  const hasMailbox = variant !== 'noMailbox';
  const kind: UserKind = variant === 'disabled' || variant === 'noMailbox' ? 'user' : variant;
  return {
    id: newGuid(),
    tenantId: tenant.id,
    displayName: `${variant[0].toUpperCase()}${variant.slice(1)} ${number}`,
    givenName: null,
    surname: null,
    userPrincipalName: upn,
    mail: hasMailbox ? upn : null,
    proxyAddresses: hasMailbox ? [`SMTP:${upn}`] : [],
    hasMailbox,
    kind,
    // The first user of a bulk tenant is its admin (who can grant admin consent).
    isAdmin: i === 1 && variant === 'user',
    accountEnabled: variant === 'user' || variant === 'noMailbox',
    jobTitle: null,
  };
}
