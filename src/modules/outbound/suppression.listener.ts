import { Injectable } from '@nestjs/common';
import type { InboundSuppressionDetected } from '../../common/events/inbound.events.js';
import { OnDomainEvent } from '../../common/events/on-domain-event.js';
import { SuppressionService } from './suppression.service.js';

@Injectable()
export class SuppressionListener {
  constructor(private readonly suppressions: SuppressionService) {}

  /** A bounce or an opt-out read by the inbound pipeline: on the list (repeats change nothing). */
  @OnDomainEvent('inbound.suppression-detected')
  async onDetected(event: InboundSuppressionDetected): Promise<void> {
    await this.suppressions.addDetected(
      event.workspaceId,
      event.email,
      event.reason,
      event.inboundMessageId,
    );
  }
}
