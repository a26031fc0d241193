/** A user as `/users` lists it with DIRECTORY_SELECT. */
export interface DirectoryUser {
  id: string;
  mail?: string | null;
  userPrincipalName?: string | null;
  displayName?: string | null;
  proxyAddresses?: string[] | null;
  accountEnabled?: boolean | null;
  userType?: string | null;
}

export const DIRECTORY_SELECT =
  'id,mail,userPrincipalName,displayName,proxyAddresses,accountEnabled,userType';
/** Graph's largest `/users` page. */
export const DIRECTORY_PAGE_SIZE = 999;

/**
 * First look at a listed user, without another Graph call: no mailbox (no `mail`, no SMTP proxy
 * address) and guests are out; an enabled account with a mailbox is a person's mailbox; a
 * disabled one may be a shared mailbox (support@, sales@: disabled accounts in Entra), a room or
 * equipment, or a former employee — its mailbox settings tell.
 */
export function triageUser(
  user: DirectoryUser,
): 'mailbox' | 'check_purpose' | 'no_mailbox' | 'guest' {
  if (user.userType === 'Guest' || /#EXT#@/i.test(user.userPrincipalName ?? '')) return 'guest';
  const smtp = (user.proxyAddresses ?? []).some((p) => /^\s*smtp\s*:/i.test(p));
  if (!user.mail?.trim() && !smtp) return 'no_mailbox';
  return user.accountEnabled === false ? 'check_purpose' : 'mailbox';
}

/** mailboxSettings `userPurpose`, or what reading it answered instead. */
export type UserPurpose =
  | 'user'
  | 'linked'
  | 'shared'
  | 'room'
  | 'equipment'
  | 'others'
  | 'no_mailbox'
  | 'access_denied'
  | 'unreadable';

/** One `$batch` answer for `GET /users/{id}/mailboxSettings?$select=userPurpose`. */
export function purposeOf(status: number, body: unknown): UserPurpose {
  const b = (body ?? {}) as { userPurpose?: unknown; error?: { code?: unknown } };
  if (status === 200 && typeof b.userPurpose === 'string') {
    const known = ['user', 'linked', 'shared', 'room', 'equipment'];
    return known.includes(b.userPurpose) ? (b.userPurpose as UserPurpose) : 'others';
  }
  if (status === 404) return 'no_mailbox';
  if (status === 403 && b.error?.code === 'ErrorAccessDenied') return 'access_denied';
  return 'unreadable';
}

export type DisabledVerdict =
  'shared' | 'former_person' | 'room_or_equipment' | 'no_mailbox' | 'unreadable';

/** A disabled account with a mailbox: only shared mailboxes are kept. */
export function judgeDisabled(purpose: UserPurpose): DisabledVerdict {
  if (purpose === 'shared') return 'shared';
  if (purpose === 'room' || purpose === 'equipment') return 'room_or_equipment';
  if (purpose === 'no_mailbox') return 'no_mailbox';
  if (purpose === 'access_denied' || purpose === 'unreadable') return 'unreadable';
  return 'former_person';
}

/** The mailbox's primary address: `mail`, else the user principal name (design §5). */
export function primaryAddress(user: DirectoryUser): string {
  return (user.mail?.trim() || user.userPrincipalName?.trim() || '').toLowerCase();
}

/** The domain most primary addresses use (ties: alphabetical), to name the organization. */
export function primaryDomain(domainCounts: ReadonlyMap<string, number>): string | null {
  let best: [string, number] | null = null;
  for (const [domain, n] of domainCounts) {
    if (!best || n > best[1] || (n === best[1] && domain < best[0])) best = [domain, n];
  }
  return best?.[0] ?? null;
}
