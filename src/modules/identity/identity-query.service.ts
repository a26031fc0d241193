import { Injectable } from '@nestjs/common';
import { IdentityRepository, type IdentityRow } from './identity.repository.js';
import { IdentityScanRepository, type ScanRow } from './identity-scan.repository.js';

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
}
