import { VaultError } from './vault-error.js';

/** The parts of a stored secret: `v1.<keyId>.<iv>.<tag>.<ciphertext>`, base64url without padding. */
export interface SealedParts {
  keyId: string;
  iv: Buffer;
  tag: Buffer;
  data: Buffer;
}

export const FORMAT_VERSION = 'v1';
export const IV_BYTES = 12;
export const TAG_BYTES = 16;

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const B64URL = /^[A-Za-z0-9_-]*$/;

export function formatSealed(parts: SealedParts): string {
  const encoded = [parts.iv, parts.tag, parts.data].map((b) => b.toString('base64url'));
  return [FORMAT_VERSION, parts.keyId, ...encoded].join('.');
}

/** Strict parse: exact field count, known version, canonical base64url, exact IV and tag sizes. */
export function parseSealed(sealed: string): SealedParts {
  if (typeof sealed !== 'string') throw malformed();
  const fields = sealed.split('.');
  if (fields.length !== 5 || fields[0] !== FORMAT_VERSION) throw malformed();
  const [, keyId, iv, tag, data] = fields;
  if (!KEY_ID.test(keyId)) throw malformed();
  const parts = { keyId, iv: decode(iv), tag: decode(tag), data: decode(data) };
  if (parts.iv.length !== IV_BYTES || parts.tag.length !== TAG_BYTES) throw malformed();
  return parts;
}

// Node's base64url decoder skips invalid characters and ignores trailing bits; re-encoding
// rejects both, so every stored string has exactly one accepted spelling.
function decode(field: string): Buffer {
  if (!B64URL.test(field)) throw malformed();
  const bytes = Buffer.from(field, 'base64url');
  if (bytes.toString('base64url') !== field) throw malformed();
  return bytes;
}

function malformed(): VaultError {
  return new VaultError('malformed', 'The stored secret is not a valid vault ciphertext.');
}
