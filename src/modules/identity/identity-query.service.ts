import { Injectable } from '@nestjs/common';
import { IdentityRepository, type ListedIdentity, type ListedRow } from './identity.repository.js';

/** An identity that can send right now, with what the dispatcher needs to send from it. */
export interface SendableIdentity {
  identityId: string;
  email: string;
  displayName: string | null;
  mailboxId: string;
  connectionType: 'delegated' | 'organization';
  msUserId: string;
  tenantId: string;
  /** This identity's own pace values over its profile's (stored JSON; see common/pace). */
  paceOverride: unknown;
}

/** An identity assigned to a sender profile, with what decides whether it can send. */
export interface AssignedIdentity {
  identityId: string;
  status: 'active' | 'inactive' | 'send_as_denied';
  mailboxStatus: 'active' | 'needs_reauth' | 'error';
  /** Why the mailbox is not active, e.g. organization_needs_consent. */
  mailboxStatusReason: string | null;
  mailboxConnected: boolean;
}

export type { ListedIdentity } from './identity.repository.js';

export interface MailboxIdentities {
  identities: ListedIdentity[];
  /** Undefined before the mailbox's first scan. */
  scan: { scannedAt: Date | null; lastError: string | null } | undefined;
}

/** Reads for other modules: identities and discovery state of mailboxes. */
@Injectable()
export class IdentityQueryService {
  constructor(private readonly identities: IdentityRepository) {}

  /** Active identities of the profile on active, connected mailboxes. */
  async sendableForProfile(senderProfileId: string): Promise<SendableIdentity[]> {
    const rows = await this.identities.sendableForProfile(senderProfileId);
    return rows.map((row) => ({
      identityId: row.id,
      email: row.email,
      displayName: row.displayName,
      mailboxId: row.mailboxId,
      connectionType: row.mailbox.connectionType,
      msUserId: row.mailbox.msUserId,
      tenantId: row.mailbox.tenantId,
      paceOverride: row.paceOverride,
    }));
  }

  /** Per mailbox id (each one asked for): its identities by type, then email, and its scan. */
  async forMailboxes(mailboxIds: string[]): Promise<Map<string, MailboxIdentities>> {
    const result = new Map<string, MailboxIdentities>();
    for (const row of await this.identities.listedForMailboxes(mailboxIds)) {
      let found = result.get(row.mailboxId);
      if (!found) {
        const scan = row.hasScan
          ? { scannedAt: row.scannedAt, lastError: row.lastError }
          : undefined;
        found = { identities: [], scan };
        result.set(row.mailboxId, found);
      }
      if (row.id !== null) found.identities.push(listedIdentity(row));
    }
    return result;
  }

  /** Per profile id: its assigned identities with their status and their mailbox's state. */
  async assignedToProfiles(senderProfileIds: string[]): Promise<Map<string, AssignedIdentity[]>> {
    const result = new Map<string, AssignedIdentity[]>(senderProfileIds.map((id) => [id, []]));
    if (senderProfileIds.length === 0) return result;
    const rows = await this.identities.assignedToProfiles(senderProfileIds);
    for (const row of rows) {
      result.get(row.senderProfileId as string)?.push({
        identityId: row.id,
        status: row.status,
        mailboxStatus: row.mailbox.status,
        mailboxStatusReason: row.mailbox.statusReason,
        mailboxConnected: row.mailbox.disconnectedAt === null,
      });
    }
    return result;
  }
}

function listedIdentity(row: ListedRow): ListedIdentity {
  return {
    id: row.id as string,
    mailboxId: row.mailboxId,
    email: row.email as string,
    displayName: row.displayName,
    type: row.type as ListedIdentity['type'],
    source: row.source as ListedIdentity['source'],
    status: row.status as ListedIdentity['status'],
    verifiedAt: row.verifiedAt,
    senderProfileId: row.senderProfileId,
    lastSeenAt: row.lastSeenAt,
    paceOverride: row.paceOverride,
    createdAt: row.createdAt as Date,
  };
}
