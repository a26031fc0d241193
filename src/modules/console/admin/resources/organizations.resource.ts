import { Injectable } from '@nestjs/common';
import { AuditService } from '../../../../common/audit/audit.service.js';
import type { ListingFilters, ListingQuery } from '../../../../common/database/listing.js';
import { PrismaService } from '../../../../common/database/prisma.service.js';
import { DomainError } from '../../../../common/errors/domain-error.js';
import {
  OrganizationService,
  type OrganizationView,
} from '../../../admin-consent/organization.service.js';
import { staffActor, staffAuditActor, text } from '../actors.js';
import type { FieldDef, ResourceDef } from '../definitions.js';

const PAGE = 100;
const SYNC_WAIT_MS = 10_000;
const SEPARATOR = '~';

const FIELDS: FieldDef[] = [
  { path: 'id', type: 'id' },
  {
    path: 'workspaceId',
    type: 'reference',
    reference: 'workspaces',
    list: true,
    filter: true,
  },
  { path: 'tenantId', type: 'string', label: 'Tenant id', list: true },
  { path: 'primaryDomain', type: 'string', list: true },
  {
    path: 'status',
    type: 'string',
    values: ['active', 'needs_consent', 'syncing'],
    list: true,
    filter: true,
  },
  { path: 'statusReason', type: 'string' },
  { path: 'mailboxes', type: 'number', list: true },
  { path: 'mailboxesNeedingConsent', type: 'number' },
  { path: 'mailboxesAccessDenied', type: 'number' },
  { path: 'lastSyncAt', type: 'datetime', list: true },
  { path: 'lastSyncCounts', type: 'json' },
  { path: 'lastError', type: 'string' },
  { path: 'lastErrorAt', type: 'datetime' },
  { path: 'syncFailures', type: 'number' },
  { path: 'nextSyncAt', type: 'datetime' },
  { path: 'grantedAt', type: 'datetime' },
  { path: 'consentLostAt', type: 'datetime' },
  { path: 'removedAt', type: 'datetime' },
  { path: 'connectedByUserId', type: 'string', label: 'Connected by (user id)' },
  { path: 'createdAt', type: 'datetime' },
];

/**
 * Organizations (admin consent), read through the admin-consent module's service, which lists
 * them per workspace: the list needs a workspace filter, and a record's id carries its
 * workspace (`<workspace>~<organization id>`) so a record page can be read on its own.
 */
@Injectable()
export class OrganizationsResource {
  constructor(
    private readonly organizations: OrganizationService,
    private readonly audit: AuditService,
    private readonly prisma: PrismaService,
  ) {}

  definition(): ResourceDef {
    return {
      id: 'organizations',
      label: 'Organizations (by workspace)',
      group: 'Customers',
      titleField: 'tenantId',
      permission: 'view',
      sort: { field: 'createdAt', direction: 'desc' },
      source: { listing: (query) => this.listing(query), count: (f) => this.count(f) },
      fields: FIELDS,
      actions: [
        {
          name: 'sync',
          label: 'Sync now',
          permission: 'act',
          when: (row) => row.removedAt === null,
          run: async (staff, row) => {
            const [workspaceId, id] = parseId(text(row, 'id')) ?? ['', ''];
            const actor = staffActor(staff, workspaceId);
            const { outcome } = await this.organizations.requestSync(actor, id, SYNC_WAIT_MS);
            await this.prisma.$transaction((tx) =>
              this.audit.record(tx, {
                workspaceId,
                actor: staffAuditActor(staff),
                action: 'organization.sync_requested',
                target: { type: 'organization', id },
                metadata: { outcome },
              }),
            );
            return outcome === 'finished' ? 'Organization synced.' : 'Sync started; it goes on.';
          },
        },
      ],
    };
  }

  private async listing(query: ListingQuery): Promise<object[]> {
    const rows = await this.rows(query.filters, query.offset + query.limit);
    return rows.slice(query.offset, query.offset + query.limit).map(toRow);
  }

  private async count(filters: ListingFilters): Promise<number> {
    return (await this.rows(filters, Number.MAX_SAFE_INTEGER)).length;
  }

  /** The workspace's organizations (or the one an id names), filtered, up to `max`. */
  private async rows(filters: ListingFilters, max: number): Promise<OrganizationView[]> {
    const byId = typeof filters.id === 'string' ? parseId(filters.id) : undefined;
    if (byId) return this.one(byId[0], byId[1]);
    const workspaceId = filters.workspaceId;
    if (typeof workspaceId !== 'string') return [];
    const found: OrganizationView[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.organizations.list(staffless(workspaceId), PAGE, cursor);
      found.push(...page.items.filter((o) => !filters.status || o.status === filters.status));
      cursor = page.nextCursor ?? undefined;
    } while (cursor && found.length < max);
    return found;
  }

  private async one(workspaceId: string, id: string): Promise<OrganizationView[]> {
    try {
      return [await this.organizations.get(staffless(workspaceId), id)];
    } catch (error) {
      if (error instanceof DomainError && error.status === 404) return [];
      throw error;
    }
  }
}

/** Reads take a workspace actor; no user acts in them. */
function staffless(workspaceId: string) {
  return { userId: 'console', workspaceId, kind: 'staff' as const };
}

function toRow(view: OrganizationView): object {
  return {
    ...view,
    id: `${view.workspaceId}${SEPARATOR}${view.id}`,
    mailboxes: view.mailboxCounts.mailboxes,
    mailboxesNeedingConsent: view.mailboxCounts.needsConsent,
    mailboxesAccessDenied: view.mailboxCounts.accessDenied,
  };
}

function parseId(value: string): [string, string] | undefined {
  const at = value.lastIndexOf(SEPARATOR);
  return at > 0 ? [value.slice(0, at), value.slice(at + 1)] : undefined;
}
