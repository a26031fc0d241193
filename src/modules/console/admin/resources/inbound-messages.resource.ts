import { Injectable } from '@nestjs/common';
import {
  INBOUND_ACTIONS,
  INBOUND_CATEGORIES,
  INBOUND_STAGES,
  InboundMessageListingService,
} from '../../../inbound/inbound-console.service.js';
import type { FieldDef, ResourceDef } from '../definitions.js';

const FIELDS: FieldDef[] = [
  { path: 'id', type: 'id', filter: true },
  { path: 'subject', type: 'string', list: true, filter: true },
  { path: 'fromAddress', type: 'string', label: 'From', list: true, filter: true },
  { path: 'fromName', type: 'string' },
  { path: 'workspaceId', type: 'reference', reference: 'workspaces', filter: true },
  { path: 'mailboxId', type: 'reference', reference: 'mailboxes', list: true, filter: true },
  { path: 'receivedAt', type: 'datetime', label: 'Received', list: true, filter: true },
  { path: 'stage', type: 'string', values: INBOUND_STAGES, list: true, filter: true },
  { path: 'category', type: 'string', values: INBOUND_CATEGORIES, list: true, filter: true },
  { path: 'intent', type: 'string', filter: true },
  { path: 'confidence', type: 'number' },
  { path: 'summary', type: 'string' },
  { path: 'provider', type: 'string', label: 'AI provider', filter: true },
  { path: 'action', type: 'string', values: INBOUND_ACTIONS, list: true, filter: true },
  { path: 'reason', type: 'string', filter: true },
  { path: 'escalationTopic', type: 'string', label: 'Escalation topic', list: true, filter: true },
  { path: 'replyStatus', type: 'string', label: 'Reply', list: true },
  { path: 'replyMode', type: 'string', label: 'Reply mode' },
  { path: 'aiReplyId', type: 'reference', reference: 'ai_replies', label: 'AI reply' },
  { path: 'replySentAt', type: 'datetime', label: 'Reply sent', filter: true },
  { path: 'replyBookedAt', type: 'datetime', label: 'Reply slot booked' },
  {
    path: 'replyOutboundId',
    type: 'reference',
    reference: 'outbound_messages',
    label: 'Reply (outbound message)',
  },
  { path: 'replyInternetMessageId', type: 'string', label: 'Reply internet message id' },
  { path: 'replyMarker', type: 'string' },
  { path: 'routedAt', type: 'datetime', label: 'Outlook category set' },
  { path: 'routeError', type: 'string', label: 'Outlook category error' },
  { path: 'source', type: 'string', values: ['notification', 'delta'], filter: true },
  { path: 'attempts', type: 'number', filter: true },
  { path: 'nextAttemptAt', type: 'datetime' },
  { path: 'processedAt', type: 'datetime', filter: true },
  { path: 'internetMessageId', type: 'string', filter: true },
  { path: 'conversationId', type: 'string', filter: true },
  { path: 'graphMessageId', type: 'string', label: 'Graph message id' },
  { path: 'createdAt', type: 'datetime', filter: true },
  { path: 'updatedAt', type: 'datetime' },
];

/** Mail received by inbound mailboxes and what the pipeline decided and did (read only). */
@Injectable()
export class InboundMessagesResource {
  constructor(private readonly listing: InboundMessageListingService) {}

  definition(): ResourceDef {
    return {
      id: 'inbound_messages',
      label: 'Inbound messages',
      group: 'Mail',
      titleField: 'subject',
      permission: 'view',
      sort: { field: 'createdAt', direction: 'desc' },
      source: this.listing,
      fields: FIELDS,
      actions: [],
    };
  }
}
