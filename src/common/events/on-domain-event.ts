import { OnEvent } from '@nestjs/event-emitter';
import type { DomainEventName } from './event-map.js';

/**
 * Subscribes a listener method to a domain event delivered by the outbox relay. Errors
 * propagate to the relay (which retries the event), so listeners must be idempotent.
 */
export const OnDomainEvent = (name: DomainEventName): MethodDecorator =>
  OnEvent(name, { suppressErrors: false });
