import { Injectable } from '@nestjs/common';
import { IdentityQueryService } from '../identity/identity-query.service.js';
import { MailboxService } from '../mailbox/mailbox.service.js';

const TTL_MS = 30_000;
const PAGE = 100;

/**
 * Every address of a workspace's connected mailboxes and their identities (aliases, Send As):
 * mail from any of them is the workspace's own and never answered. Cached briefly per instance.
 */
@Injectable()
export class OwnAddressesService {
  private readonly cache = new Map<string, { at: number; addresses: Set<string> }>();

  constructor(
    private readonly mailboxes: MailboxService,
    private readonly identities: IdentityQueryService,
  ) {}

  async of(workspaceId: string): Promise<ReadonlySet<string>> {
    const hit = this.cache.get(workspaceId);
    if (hit && Date.now() - hit.at < TTL_MS) return hit.addresses;
    const addresses = await this.load(workspaceId);
    this.cache.set(workspaceId, { at: Date.now(), addresses });
    return addresses;
  }

  /** The mailbox's primary identity (replies go out as it), or null before discovery. */
  async primaryIdentityId(mailboxId: string): Promise<string | null> {
    const found = await this.identities.forMailboxes([mailboxId]);
    const rows = found.get(mailboxId)?.identities ?? [];
    return rows.find((r) => r.type === 'primary' && r.status === 'active')?.id ?? null;
  }

  private async load(workspaceId: string): Promise<Set<string>> {
    const actor = { workspaceId, userId: 'system' };
    const addresses = new Set<string>();
    let cursor: string | undefined;
    for (let page = 0; page < 100; page += 1) {
      const result = await this.mailboxes.list(actor, PAGE, cursor);
      for (const m of result.items) addresses.add(m.email.toLowerCase());
      const found = await this.identities.forMailboxes(result.items.map((m) => m.id));
      for (const { identities } of found.values())
        for (const identity of identities) addresses.add(identity.email.toLowerCase());
      if (!result.nextCursor) break;
      cursor = result.nextCursor;
    }
    return addresses;
  }
}
