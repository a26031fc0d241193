export interface VaultKey {
  id: string;
  key: Buffer;
}

export interface KeyRing {
  keys: VaultKey[];
  activeKeyId: string;
}

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;
/** 32 random bytes have about 30 different values; fewer than 16 is a made-up key. */
const MIN_DISTINCT_KEY_BYTES = 16;

/**
 * Parses `id:base64key[,id:base64key…]`. Each key must decode to exactly 32 bytes
 * (AES-256) that look random (not all-zero, not a repeated byte). Returns a list of problems instead of throwing so config can report all of them.
 */
export function parseKeyRing(
  keysValue: string | undefined,
  activeValue: string | undefined,
): { ring?: KeyRing; problems: { variable: string; message: string }[] } {
  if (!keysValue) return { problems: [] };
  const problems: { variable: string; message: string }[] = [];
  const keys: VaultKey[] = [];
  for (const [index, entry] of keysValue.split(',').entries()) {
    const parsed = parseEntry(entry.trim(), index);
    if (typeof parsed === 'string') {
      problems.push({ variable: 'TOKEN_ENCRYPTION_KEYS', message: parsed });
    } else if (keys.some((k) => k.id === parsed.id)) {
      problems.push({
        variable: 'TOKEN_ENCRYPTION_KEYS',
        message: `duplicate key id "${parsed.id}"`,
      });
    } else {
      keys.push(parsed);
    }
  }
  if (problems.length > 0) return { problems };
  const activeKeyId = activeValue ?? (keys.length === 1 ? keys[0].id : undefined);
  if (!activeKeyId) {
    const message = 'must name the key that encrypts when several keys are configured';
    return { problems: [{ variable: 'TOKEN_ENCRYPTION_ACTIVE_KEY', message }] };
  }
  if (!keys.some((k) => k.id === activeKeyId)) {
    const message = `names "${activeKeyId}", which is not in TOKEN_ENCRYPTION_KEYS`;
    return { problems: [{ variable: 'TOKEN_ENCRYPTION_ACTIVE_KEY', message }] };
  }
  return { ring: { keys, activeKeyId }, problems: [] };
}

function parseEntry(entry: string, index: number): VaultKey | string {
  const colon = entry.indexOf(':');
  if (colon <= 0) return `entry ${index + 1} must look like id:base64key`;
  const id = entry.slice(0, colon);
  const encoded = entry.slice(colon + 1);
  if (!KEY_ID.test(id))
    return `entry ${index + 1} has an invalid key id (letters, digits, _ and -, at most 32)`;
  if (!BASE64.test(encoded)) return `key "${id}" is not base64`;
  const key = Buffer.from(encoded, 'base64');
  if (key.length !== 32) return `key "${id}" must decode to 32 bytes (AES-256), got ${key.length}`;
  if (new Set(key).size < MIN_DISTINCT_KEY_BYTES) {
    const rule = `fewer than ${MIN_DISTINCT_KEY_BYTES} different byte values in 32`;
    return `key "${id}" is not random (${rule}, e.g. all zeros); use 32 random bytes`;
  }
  return { id, key };
}
