import { Injectable } from '@nestjs/common';
import type { ListingQuery } from '../../../../common/database/listing.js';
import {
  OUTBOUND_STATUSES,
  OutboundListingService,
} from '../../../outbound/outbound-listing.service.js';
import { OutboundService } from '../../../outbound/outbound.service.js';
import { staffActor, text } from '../actors.js';
import type { FieldDef, ResourceDef } from '../definitions.js';

const FIELDS: FieldDef[] = [
  { path: 'id', type: 'id', filter: true },
  { path: 'subject', type: 'string', list: true, filter: true },
  { path: 'status', type: 'string', values: OUTBOUND_STATUSES, list: true, filter: true },
  {
    path: 'workspaceId',
    type: 'reference',
    reference: 'workspaces',
    list: true,
    filter: true,
  },
  {
    path: 'senderProfileId',
    type: 'reference',
    reference: 'sender_profiles',
    filter: true,
  },
  { path: 'fromEmail', type: 'string', list: true, filter: true },
  { path: 'to', type: 'string' },
  { path: 'recipientCount', type: 'number' },
  { path: 'attempts', type: 'number', list: true, filter: true },
  { path: 'errorCode', type: 'string', list: true, filter: true },
  { path: 'errorMessage', type: 'string' },
  { path: 'identityId', type: 'reference', reference: 'identities', filter: true },
  { path: 'mailboxId', type: 'reference', reference: 'mailboxes', filter: true },
  { path: 'nextAttemptAt', type: 'datetime', filter: true },
  // Why a queued message waits and when it should go (read through OutboundService, per row).
  { path: 'waitingReason', type: 'string', list: true },
  { path: 'expectedAt', type: 'datetime' },
  { path: 'isReply', type: 'boolean', label: 'Reply' },
  { path: 'sendingStartedAt', type: 'datetime' },
  { path: 'sentAt', type: 'datetime', filter: true },
  { path: 'internetMessageId', type: 'string' },
  { path: 'conversationId', type: 'string' },
  { path: 'createdAt', type: 'datetime', list: true, filter: true },
  { path: 'updatedAt', type: 'datetime', filter: true },
];

/** The send queue and its history: filter by status; retry a failed message, cancel a queued one. */
@Injectable()
export class OutboundMessagesResource {
  constructor(
    private readonly listing: OutboundListingService,
    private readonly outbound: OutboundService,
  ) {}

  definition(): ResourceDef {
    return {
      id: 'outbound_messages',
      label: 'Outbound messages',
      group: 'Mail',
      titleField: 'subject',
      permission: 'view',
      sort: { field: 'createdAt', direction: 'desc' },
      source: {
        listing: (query) => this.withWaiting(query),
        count: (filters) => this.listing.count(filters),
      },
      fields: FIELDS,
      actions: [
        {
          name: 'retry',
          label: 'Retry',
          permission: 'act',
          when: (row) => row.status === 'failed',
          run: async (staff, row) => {
            const actor = staffActor(staff, text(row, 'workspaceId'));
            await this.outbound.retryFailed(actor, text(row, 'id'));
            return 'Message queued again; the dispatcher sends it shortly.';
          },
        },
        {
          name: 'cancel',
          label: 'Cancel',
          permission: 'act',
          confirm: 'Cancel this queued message? It will not be sent.',
          when: (row) => row.status === 'queued',
          run: async (staff, row) => {
            const actor = staffActor(staff, text(row, 'workspaceId'));
            await this.outbound.cancelQueued(actor, text(row, 'id'));
            return 'Message cancelled.';
          },
        },
      ],
    };
  }

  /**
   * Why each queued message waits (`waitingReason`, `expectedAt`) and whether it is a reply, as
   * `GET /v1/messages/:id` says it, read through the outbound module's service for the row's
   * workspace (one read per row of the page).
   */
  private async withWaiting(query: ListingQuery): Promise<object[]> {
    const rows = await this.listing.listing(query);
    const full = await Promise.all(
      rows.map((row) =>
        this.outbound
          .get({ userId: 'console', workspaceId: row.workspaceId, kind: 'staff' }, row.id)
          .catch(() => null),
      ),
    );
    return rows.map((row, i) => {
      const queued = full[i]?.status === 'queued';
      return {
        ...row,
        waitingReason: queued ? (full[i]?.waitingReason ?? null) : null,
        expectedAt: queued ? (full[i]?.nextAttemptAt ?? null) : null,
        isReply: full[i]?.isReply ?? false,
      };
    });
  }
}
