export const MIN_SECRET_LENGTH = 32;
export const MIN_SECRET_DISTINCT = 8;
const HOW = 'use a random value, e.g. `openssl rand -base64 48`';

/**
 * Why a shared secret is too weak to sign bearer tokens, or undefined when it is acceptable:
 * at least 32 characters, at least 8 different characters, and not a shorter pattern repeated
 * (`abcabcabc…`). The messages never quote the secret.
 */
export function secretWeakness(secret: string): string | undefined {
  if (secret.length < MIN_SECRET_LENGTH) {
    return `must be at least ${MIN_SECRET_LENGTH} characters; ${HOW}`;
  }
  if (new Set(secret).size < MIN_SECRET_DISTINCT) {
    return `must contain at least ${MIN_SECRET_DISTINCT} different characters; ${HOW}`;
  }
  if (repeatsPattern(secret)) {
    return `must not be a shorter pattern repeated (like abcabcabc…); ${HOW}`;
  }
  return undefined;
}

/** True when the value is a prefix of at most half its length written out again and again. */
function repeatsPattern(value: string): boolean {
  for (let period = 1; period <= value.length / 2; period += 1) {
    if (value.slice(period) === value.slice(0, value.length - period)) return true;
  }
  return false;
}
