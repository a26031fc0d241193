/** What Graph says about a mailbox owner: `/me` or `/users/{id}` with $select. */
export interface DirectoryProfile {
  mail?: string | null;
  userPrincipalName?: string | null;
  proxyAddresses?: string[] | null;
}

export interface DiscoveredAddress {
  email: string;
  type: 'primary' | 'alias';
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * The SMTP addresses in `proxyAddresses`: split at the first `:`, trim, keep only type
 * `SMTP`/`smtp` (SIP, X500, X400, SPO, EUM … are not mail addresses), lower-case, dedupe.
 * `SMTP:` (upper case) marks the primary.
 */
export function smtpProxyAddresses(proxyAddresses: readonly string[]): {
  primary?: string;
  all: string[];
} {
  let primary: string | undefined;
  const all = new Set<string>();
  for (const entry of proxyAddresses) {
    const colon = entry.indexOf(':');
    if (colon <= 0) continue;
    const type = entry.slice(0, colon).trim();
    const address = entry
      .slice(colon + 1)
      .trim()
      .toLowerCase();
    if (type.toLowerCase() !== 'smtp' || !EMAIL.test(address)) continue;
    all.add(address);
    if (type === 'SMTP' && !primary) primary = address;
  }
  return { primary, all: [...all] };
}

/**
 * Every identity of a mailbox: the primary is `mail`, else `userPrincipalName` (else the
 * `SMTP:` proxy address); every other SMTP proxy address is an alias.
 */
export function discoverAddresses(profile: DirectoryProfile): DiscoveredAddress[] {
  const proxies = smtpProxyAddresses(profile.proxyAddresses ?? []);
  const primary =
    normalise(profile.mail) ?? normalise(profile.userPrincipalName) ?? proxies.primary;
  if (!primary) return [];
  const aliases = proxies.all.filter((address) => address !== primary);
  return [
    { email: primary, type: 'primary' },
    ...aliases.map((email) => ({ email, type: 'alias' as const })),
  ];
}

function normalise(address: string | null | undefined): string | undefined {
  const trimmed = address?.trim().toLowerCase();
  return trimmed && EMAIL.test(trimmed) ? trimmed : undefined;
}

export interface KnownIdentity {
  id: string;
  email: string;
  type: 'primary' | 'alias' | 'send_as';
  source: 'discovered' | 'manual';
  status: 'active' | 'inactive' | 'send_as_denied';
}

export interface IdentityPlan {
  /** New addresses to insert. */
  add: DiscoveredAddress[];
  /** Known discovered identities still present (type may change, e.g. alias promoted to primary); inactive ones come back. */
  keep: { id: string; type: 'primary' | 'alias'; reactivate: boolean }[];
  /** Discovered identities no longer present: become inactive (kept with their assignment). */
  deactivate: string[];
}

/**
 * Reconciles what Microsoft lists with what we know. Send As (manual) identities are never
 * touched by discovery; an address that is both a manual Send As and now discovered stays
 * the manual one.
 */
export function planDiscovery(
  known: readonly KnownIdentity[],
  found: readonly DiscoveredAddress[],
): IdentityPlan {
  const byEmail = new Map(known.map((identity) => [identity.email, identity]));
  const foundEmails = new Set(found.map((f) => f.email));
  const plan: IdentityPlan = { add: [], keep: [], deactivate: [] };
  for (const address of found) {
    const existing = byEmail.get(address.email);
    if (!existing) plan.add.push(address);
    else if (existing.source === 'discovered') {
      plan.keep.push({
        id: existing.id,
        type: address.type,
        reactivate: existing.status === 'inactive',
      });
    }
  }
  for (const identity of known) {
    if (
      identity.source === 'discovered' &&
      identity.status !== 'inactive' &&
      !foundEmails.has(identity.email)
    ) {
      plan.deactivate.push(identity.id);
    }
  }
  return plan;
}
