import { Injectable } from '@nestjs/common';
import { IdentityRepository, type IdentityRow } from './identity.repository.js';
import { IdentityScanRepository, type ScanRow } from './identity-scan.repository.js';

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

export interface MailboxIdentities {
  identities: IdentityRow[];
  scan: ScanRow | undefined;
}

/** Reads for other modules: identities and discovery state of mailboxes. */
@Injectable()
export class IdentityQueryService {
  constructor(
    private readonly identities: IdentityRepository,
    private readonly scans: IdentityScanRepository,
  ) {}

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

  async forMailboxes(mailboxIds: string[]): Promise<Map<string, MailboxIdentities>> {
    const [rows, scans] = await Promise.all([
      this.identities.forMailboxes(mailboxIds),
      this.scans.forMailboxes(mailboxIds),
    ]);
    const result = new Map<string, MailboxIdentities>();
    for (const id of mailboxIds) {
      result.set(id, {
        identities: rows.filter((r) => r.mailboxId === id),
        scan: scans.find((s) => s.mailboxId === id),
      });
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
