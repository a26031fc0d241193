import { randomBytes, randomUUID } from 'node:crypto';

/** A GUID as Entra ID uses for tenants, users and apps. */
export function newGuid(): string {
  return randomUUID();
}

/** An opaque URL-safe random string (codes, refresh tokens, interaction ids). */
export function opaqueToken(bytes = 48): string {
  return randomBytes(bytes).toString('base64url');
}
