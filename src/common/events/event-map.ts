/**
 * The typed map of domain events: event name → payload (ids and small facts).
 * Each module adds its own events by declaration merging in its `<module>.events.ts`:
 *
 *   declare module '../../common/events/event-map.js' {
 *     interface DomainEventMap { 'mailbox.connected': { mailboxId: string } }
 *   }
 *
 * so `common/` never imports a module.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface DomainEventMap {}

export type DomainEventName = keyof DomainEventMap & string;

/** Delivery metadata passed to listeners as their second argument (for idempotency). */
export interface EventMeta {
  eventId: string;
  name: string;
  occurredAt: Date;
  attempt: number;
}
