import { Injectable } from '@nestjs/common';
import {
  AiReplyConsoleService,
  REPLY_MODES,
  REPLY_STATUSES,
} from '../../../inbound/inbound-console.service.js';
import { staffActor, text } from '../actors.js';
import type { FieldDef, ResourceDef } from '../definitions.js';

const FIELDS: FieldDef[] = [
  { path: 'id', type: 'id', filter: true },
  { path: 'subject', type: 'string', list: true, filter: true },
  {
    path: 'fromAddress',
    type: 'string',
    label: 'To',
    list: true,
    filter: true,
  },
  { path: 'status', type: 'string', values: REPLY_STATUSES, list: true, filter: true },
  {
    path: 'replyMode',
    type: 'string',
    label: 'Mode',
    values: REPLY_MODES,
    list: true,
    filter: true,
  },
  { path: 'mailboxId', type: 'reference', reference: 'mailboxes', list: true, filter: true },
  { path: 'workspaceId', type: 'reference', reference: 'workspaces', filter: true },
  {
    path: 'inboundMessageId',
    type: 'reference',
    reference: 'inbound_messages',
    label: 'Answers (inbound message)',
  },
  { path: 'createdAt', type: 'datetime', label: 'Received', list: true, filter: true },
  { path: 'replyBookedAt', type: 'datetime', label: 'Drafted / booked', filter: true },
  { path: 'sendAt', type: 'datetime', label: 'Sends at', list: true },
  { path: 'replyDecidedAt', type: 'datetime', label: 'Decided at', filter: true },
  { path: 'replySentAt', type: 'datetime', label: 'Sent at', filter: true },
  { path: 'reason', type: 'string', filter: true },
  { path: 'replyEdited', type: 'boolean', label: 'Edited before sending', filter: true },
  {
    path: 'replyOutboundId',
    type: 'reference',
    reference: 'outbound_messages',
    label: 'Sent as (outbound message)',
  },
  { path: 'replyDraftId', type: 'string', label: 'Draft (Graph id)' },
  { path: 'stage', type: 'string', label: 'Pipeline stage' },
  { path: 'conversationId', type: 'string', filter: true },
  { path: 'updatedAt', type: 'datetime' },
];

/**
 * AI replies of every workspace: drafts awaiting review, scheduled (delayed) replies, sent,
 * discarded and cancelled ones; never their text. Staff may discard a draft or cancel a
 * scheduled reply (through the inbound module, as the REST routes do) but never approve one:
 * approving sends mail as the customer, which only the customer decides.
 */
@Injectable()
export class AiRepliesResource {
  constructor(private readonly replies: AiReplyConsoleService) {}

  definition(): ResourceDef {
    return {
      id: 'ai_replies',
      label: 'AI replies',
      group: 'Mail',
      titleField: 'subject',
      permission: 'view',
      sort: { field: 'createdAt', direction: 'desc' },
      source: this.replies,
      fields: FIELDS,
      actions: [
        {
          name: 'discardDraft',
          label: 'Discard draft',
          permission: 'act',
          confirm:
            "Discard this AI draft? It is deleted from the mailbox's Drafts folder and nothing is sent.",
          when: (row) => row.status === 'awaiting_review',
          run: async (staff, row) => {
            const actor = staffActor(staff, text(row, 'workspaceId'));
            await this.replies.discard(actor, text(row, 'id'));
            return 'Draft discarded: deleted from the mailbox, nothing sent.';
          },
        },
        {
          name: 'cancelReply',
          label: 'Cancel scheduled reply',
          permission: 'act',
          confirm: 'Cancel this scheduled AI reply? It will never be sent.',
          when: (row) => row.status === 'scheduled',
          run: async (staff, row) => {
            const actor = staffActor(staff, text(row, 'workspaceId'));
            await this.replies.cancel(actor, text(row, 'id'));
            return 'Scheduled reply cancelled: it will not be sent.';
          },
        },
      ],
    };
  }
}
