import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { hash as argon2Hash, verify as argon2Verify } from '@node-rs/argon2';

/**
 * Staff passwords: argon2id (@node-rs/argon2) with OWASP's parameters (m=19 MiB, t=2, p=1),
 * a random salt, stored as the PHC string `$argon2id$v=19$m=19456,t=2,p=1$salt$hash`.
 * Hashes of the console's first version (`scrypt$N$r$p$salt$hash`) still verify and, like an
 * argon2id hash with other parameters, are hashed again at the next successful sign-in.
 */
export const ARGON2_PARAMS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
/** `Algorithm.Argon2id` (a const enum in the library's types). */
const ARGON2ID = 2;
/** Bounds on a stored hash's cost, so a tampered row cannot make a sign-in take minutes. */
const MAX_ARGON2 = { memoryCost: 262_144, timeCost: 10, parallelism: 8 } as const;
const MAX_SCRYPT_N = 2 ** 20;
const SCRYPT_KEY_LENGTH = 32;

interface Argon2Params {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

interface ScryptHash {
  N: number;
  r: number;
  p: number;
  salt: Buffer;
  hash: Buffer;
}

export async function hashPassword(password: string): Promise<string> {
  return argon2Hash(password.normalize('NFKC'), { ...ARGON2_PARAMS, algorithm: ARGON2ID });
}

/** True when the password matches the stored hash (argon2id, or a scrypt hash of old). */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const normalized = password.normalize('NFKC');
  if (parseArgon2id(stored)) return argon2Verify(stored, normalized).catch(() => false);
  const legacy = parseScrypt(stored);
  if (!legacy) return false;
  const hash = await deriveScrypt(normalized, legacy);
  return hash.length === legacy.hash.length && timingSafeEqual(hash, legacy.hash);
}

/** Not argon2id with today's parameters: hash again after a successful sign-in. */
export function needsRehash(stored: string): boolean {
  const params = parseArgon2id(stored);
  return (
    !params ||
    params.memoryCost !== ARGON2_PARAMS.memoryCost ||
    params.timeCost !== ARGON2_PARAMS.timeCost ||
    params.parallelism !== ARGON2_PARAMS.parallelism
  );
}

let dummy: Promise<string> | undefined;

/**
 * Spends the time of one verification against a throwaway hash, so an unknown email takes as
 * long to refuse as a wrong password.
 */
export async function verifyAgainstNothing(password: string): Promise<false> {
  dummy ??= hashPassword(randomBytes(16).toString('hex'));
  await verifyPassword(password, await dummy);
  return false;
}

/** The cost of an argon2id PHC string, or undefined when it is not one within bounds. */
function parseArgon2id(stored: string): Argon2Params | undefined {
  const match =
    /^\$argon2id\$v=19\$m=(\d{1,7}),t=(\d{1,3}),p=(\d{1,3})\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/.exec(
      stored,
    );
  if (!match) return undefined;
  const [memoryCost, timeCost, parallelism] = match.slice(1).map(Number);
  if (memoryCost > MAX_ARGON2.memoryCost || timeCost < 1 || timeCost > MAX_ARGON2.timeCost)
    return undefined;
  if (parallelism < 1 || parallelism > MAX_ARGON2.parallelism) return undefined;
  return { memoryCost, timeCost, parallelism };
}

function parseScrypt(stored: string): ScryptHash | undefined {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  const [N, R, P] = [Number(n), Number(r), Number(p)];
  if (scheme !== 'scrypt' || !salt || !hash) return undefined;
  if (![N, R, P].every(Number.isInteger) || N < 2 || N > MAX_SCRYPT_N) return undefined;
  if (R < 1 || R > 32 || P < 1 || P > 16) return undefined;
  return { N, r: R, p: P, salt: Buffer.from(salt, 'base64'), hash: Buffer.from(hash, 'base64') };
}

function deriveScrypt(password: string, { N, r, p, salt }: ScryptHash): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const maxmem = 256 * N * r;
    scrypt(password, salt, SCRYPT_KEY_LENGTH, { N, r, p, maxmem }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}
