import { Injectable } from '@nestjs/common';
import {
  OUTBOUND_STATUSES,
  OutboundListingService,
  WAITING_REASONS,
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
  // Why a queued message waits and when it should go, as GET /v1/messages/:id says it (read in
  // the listing's own query; null once the message left the queue).
  { path: 'waitingReason', type: 'string', values: WAITING_REASONS, list: true, filter: true },
  { path: 'expectedAt', type: 'datetime' },
  // Queued and waiting on the outreach pace (window, daily cap, ramp, minimum gap).
  { path: 'heldByPace', type: 'boolean', label: 'Held by pace', filter: true },
  { path: 'isReply', type: 'boolean', label: 'Reply', filter: true },
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
        listing: (query) => this.listing.listing(query),
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
}
