import { describe, expect, it } from '@jest/globals';
import { randomBytes, scryptSync } from 'node:crypto';
import { hashPassword, needsRehash, verifyAgainstNothing, verifyPassword } from './password.js';

/** A hash as the console's first version stored it (scrypt, N=2^15, r=8, p=3). */
function legacyScryptHash(password: string, params = { N: 2 ** 15, r: 8, p: 3 }): string {
  const salt = randomBytes(16);
  const { N, r, p } = params;
  const hash = scryptSync(password.normalize('NFKC'), salt, 32, { N, r, p, maxmem: 256 * N * r });
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

describe('staff passwords (argon2id, scrypt of old)', () => {
  it('hashes with argon2id at OWASP parameters and verifies that password only', async () => {
    const hash = await hashPassword('correct horse battery staple');
    expect(hash).toMatch(
      /^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/,
    );
    expect(hash).not.toContain('correct horse');
    await expect(verifyPassword('correct horse battery staple', hash)).resolves.toBe(true);
    await expect(verifyPassword('correct horse battery stapl', hash)).resolves.toBe(false);
    expect(needsRehash(hash)).toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hashPassword('same password!')).not.toBe(await hashPassword('same password!'));
  });

  it('treats compatibility forms of a character as the same password (NFKC)', async () => {
    const hash = await hashPassword('ﬁne password');
    await expect(verifyPassword('fine password', hash)).resolves.toBe(true);
  });

  it('still verifies scrypt hashes of old, and asks for them to be hashed again', async () => {
    const legacy = legacyScryptHash('an old password');
    await expect(verifyPassword('an old password', legacy)).resolves.toBe(true);
    await expect(verifyPassword('an old passwore', legacy)).resolves.toBe(false);
    expect(needsRehash(legacy)).toBe(true);
  });

  it('asks for a rehash of argon2 hashes with other parameters or variants', async () => {
    const { hash } = await import('@node-rs/argon2');
    const weaker = await hash('pw', {
      memoryCost: 4096,
      timeCost: 1,
      parallelism: 1,
      algorithm: 2,
    });
    await expect(verifyPassword('pw', weaker)).resolves.toBe(true);
    expect(needsRehash(weaker)).toBe(true);
    const argon2i = await hash('pw', { algorithm: 1 });
    await expect(verifyPassword('pw', argon2i)).resolves.toBe(false);
    expect(needsRehash(argon2i)).toBe(true);
  });

  it('refuses malformed or absurd hashes', async () => {
    await expect(verifyPassword('x', 'plain')).resolves.toBe(false);
    await expect(verifyPassword('x', 'scrypt$4294967296$8$1$AAAA$AAAA')).resolves.toBe(false);
    await expect(
      verifyPassword('x', '$argon2id$v=19$m=4194304,t=2,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAA'),
    ).resolves.toBe(false);
    await expect(
      verifyPassword('x', '$argon2id$v=19$m=19456,t=2,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAA'),
    ).resolves.toBe(false);
    expect(needsRehash('scrypt$16384$8$1$AAAA$AAAA')).toBe(true);
    await expect(verifyAgainstNothing('anything')).resolves.toBe(false);
  });
});
