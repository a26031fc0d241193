/** Events published by the identity module (payloads: ids and small facts). */
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
