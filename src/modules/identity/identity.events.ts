export interface IdentityDiscovered {
  identityId: string;
  mailboxId: string;
  workspaceId: string;
  email: string;
  type: 'primary' | 'alias';
}

export interface IdentityRemoved {
  identityId: string;
  mailboxId: string;
  workspaceId: string;
  email: string;
}

declare module '../../common/events/event-map.js' {
  interface DomainEventMap {
    'identity.discovered': IdentityDiscovered;
    'identity.removed': IdentityRemoved;
  }
}
