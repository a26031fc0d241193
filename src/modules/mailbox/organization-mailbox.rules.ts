/** statusReason of organization mailboxes whose organization lost admin consent (needs_reauth). */
export const ORGANIZATION_NEEDS_CONSENT = 'organization_needs_consent';
/** statusReason of an organization mailbox an Exchange application access policy hides (error). */
export const APPLICATION_ACCESS_DENIED = 'application_access_denied';
/** statusReason of a mailbox retired because its user left the directory or lost its mailbox. */
export const LEFT_ORGANIZATION = 'left_organization';
/** statusReason of the mailboxes of an organization the workspace removed. */
export const ORGANIZATION_REMOVED = 'organization_removed';

/** Retired by a sync or a removal, not by a person: a later sync may bring the mailbox back. */
const READOPTABLE = new Set([LEFT_ORGANIZATION, ORGANIZATION_REMOVED]);

/** A directory user that has a mailbox, as an organization sync lists it. */
export interface DirectoryAccount {
  msUserId: string;
  /** Primary address, lower-case. */
  email: string;
  displayName: string | null;
}

/** What is stored for the same workspace, tenant and Microsoft user, if anything. */
export interface ExistingMailbox {
  connectionType: 'delegated' | 'organization';
  disconnectedAt: Date | null;
  statusReason: string | null;
  email: string;
  displayName: string | null;
}

export type OrganizationMailboxAction =
  'create' | 'keep' | 'update' | 'adopt' | 'skip_delegated' | 'skip_disconnected_by_user';

/**
 * What an organization sync does with one directory account. A mailbox connected delegated in
 * the same workspace stays delegated (its own sign-in, Send As entries and settings win); one
 * that a person disconnected stays disconnected; one retired by a sync or by removing the
 * organization, or a delegated one disconnected earlier, is brought back as an organization
 * mailbox with the same id (identities and assignments return through discovery).
 */
export function planOrganizationMailbox(
  existing: ExistingMailbox | undefined,
  account: DirectoryAccount,
): OrganizationMailboxAction {
  if (!existing) return 'create';
  if (existing.disconnectedAt === null) {
    if (existing.connectionType === 'delegated') return 'skip_delegated';
    const same = existing.email === account.email && existing.displayName === account.displayName;
    return same ? 'keep' : 'update';
  }
  if (existing.connectionType === 'delegated') return 'adopt';
  return READOPTABLE.has(existing.statusReason ?? '') ? 'adopt' : 'skip_disconnected_by_user';
}
