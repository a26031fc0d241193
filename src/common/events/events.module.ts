import { Global, Module } from '@nestjs/common';
import { OutboxRelay } from './outbox-relay.js';
import { OutboxRelayCron } from './outbox-relay.cron.js';
import { OutboxService } from './outbox.service.js';

@Global()
@Module({
  providers: [OutboxService, OutboxRelay, OutboxRelayCron],
  exports: [OutboxService, OutboxRelay],
})
export class EventsModule {}
