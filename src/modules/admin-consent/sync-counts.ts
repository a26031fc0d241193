/** What a directory sync found, kept on the organization and shown by GET /v1/organizations. */
export interface SyncCounts {
  /** Users `/users` listed. */
  listed: number;
  /** Users with a mailbox that are organization mailboxes now (shared mailboxes included). */
  mailboxes: number;
  sharedMailboxes: number;
  /** Organization mailboxes this sync created. */
  added: number;
  /** Organization mailboxes this sync retired (user gone, disabled, or without a mailbox). */
  retired: number;
  identitiesAdded: number;
  identitiesRemoved: number;
  excluded: {
    withoutMailbox: number;
    guests: number;
    /** Disabled accounts of people (former employees); shared mailboxes are kept. */
    disabledAccounts: number;
    roomsAndEquipment: number;
    /** The same person is connected delegated in this workspace: that connection stays. */
    connectedDelegated: number;
    /** Someone disconnected this organization mailbox: it stays disconnected. */
    disconnectedByUser: number;
    /** Disabled accounts whose mailbox settings could not be read (kept if already connected). */
    unreadable: number;
  };
}

export function emptyCounts(): SyncCounts {
  return {
    listed: 0,
    mailboxes: 0,
    sharedMailboxes: 0,
    added: 0,
    retired: 0,
    identitiesAdded: 0,
    identitiesRemoved: 0,
    excluded: {
      withoutMailbox: 0,
      guests: 0,
      disabledAccounts: 0,
      roomsAndEquipment: 0,
      connectedDelegated: 0,
      disconnectedByUser: 0,
      unreadable: 0,
    },
  };
}

/** The counts as one level of numbers (audit metadata, logs). */
export function flatCounts(counts: SyncCounts): Record<string, number> {
  const { excluded, ...top } = counts;
  return {
    ...top,
    ...Object.fromEntries(Object.entries(excluded).map(([k, v]) => [`excluded_${k}`, v])),
  };
}
