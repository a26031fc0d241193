import { Injectable } from '@nestjs/common';
import { OutboxService } from '../../../../common/events/outbox.service.js';
import { staffAuditActor, text } from '../actors.js';
import type { FieldDef, ResourceDef } from '../definitions.js';

const FIELDS: FieldDef[] = [
  { path: 'id', type: 'id', filter: true },
  { path: 'name', type: 'string', list: true, filter: true },
  {
    path: 'status',
    type: 'string',
    values: ['pending', 'published', 'parked'],
    list: true,
    filter: true,
  },
  { path: 'attempts', type: 'number', list: true, filter: true },
  { path: 'lastError', type: 'string', list: true },
  { path: 'payload', type: 'json' },
  { path: 'nextAttemptAt', type: 'datetime', filter: true },
  { path: 'createdAt', type: 'datetime', list: true, filter: true },
  { path: 'publishedAt', type: 'datetime', filter: true },
];

/** Domain events and their delivery; parked ones (out of attempts) can be retried. */
@Injectable()
export class OutboxEventsResource {
  constructor(private readonly outbox: OutboxService) {}

  definition(): ResourceDef {
    return {
      id: 'outbox_events',
      label: 'Outbox events',
      group: 'System',
      titleField: 'name',
      permission: 'view',
      sort: { field: 'createdAt', direction: 'desc' },
      source: this.outbox,
      fields: FIELDS,
      actions: [
        {
          name: 'retry',
          label: 'Retry',
          permission: 'act',
          when: (row) => row.status === 'parked',
          run: async (staff, row) => {
            await this.outbox.retryParked(text(row, 'id'), staffAuditActor(staff));
            return 'Event queued for delivery again.';
          },
        },
      ],
    };
  }
}
