import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { parseKeyRing } from './key-ring.js';

const entry = (id: string, bytes: Buffer) => `${id}:${bytes.toString('base64')}`;
const cycle = (distinct: number) => Buffer.from(Array.from({ length: 32 }, (_, i) => i % distinct));

describe('parseKeyRing: weak keys (issue 11.6)', () => {
  it('refuses an all-zero key and a single repeated byte, naming the key id', () => {
    const { ring, problems } = parseKeyRing(entry('k1', Buffer.alloc(32)), undefined);
    expect(ring).toBeUndefined();
    expect(problems).toEqual([
      {
        variable: 'TOKEN_ENCRYPTION_KEYS',
        message:
          'key "k1" is not random (fewer than 16 different byte values in 32, e.g. all zeros); ' +
          'use 32 random bytes',
      },
    ]);
    expect(parseKeyRing(entry('ones', Buffer.alloc(32, 0xff)), undefined).problems).toHaveLength(1);
  });

  it('checks every entry of the ring', () => {
    const keys = [
      entry('good', randomBytes(32)),
      entry('zero', Buffer.alloc(32)),
      entry('low', cycle(15)),
    ].join(',');
    const { problems } = parseKeyRing(keys, 'good');
    expect(problems.map((p) => p.message.split(' is ')[0])).toEqual(['key "zero"', 'key "low"']);
  });

  it('accepts 16 or more different byte values, and random keys', () => {
    expect(parseKeyRing(entry('k1', cycle(16)), undefined).ring?.activeKeyId).toBe('k1');
    for (let i = 0; i < 500; i += 1) {
      expect(parseKeyRing(entry('k1', randomBytes(32)), undefined).problems).toEqual([]);
    }
  });
});
