import { describe, expect, it } from '@jest/globals';
import { GroupCommit } from './group-commit.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('GroupCommit', () => {
  it('writes a lone row at once, and rows added during a write together in the next', async () => {
    const writes: number[][] = [];
    const commit = new GroupCommit<number>(async (rows) => {
      writes.push(rows);
      await tick();
    });
    const first = commit.add(0);
    const rest = [1, 2, 3, 4].map((n) => commit.add(n));
    await Promise.all([first, ...rest]);
    expect(writes).toEqual([[0], [1, 2, 3, 4]]);
  });

  it('a caller returns only after its own row is written', async () => {
    const written = new Set<number>();
    const commit = new GroupCommit<number>(async (rows) => {
      await tick();
      for (const row of rows) written.add(row);
    });
    await Promise.all(
      Array.from({ length: 50 }, async (_, n) => {
        await commit.add(n);
        expect(written.has(n)).toBe(true);
      }),
    );
  });

  it('a failed write fails the rows of its group only; the next group is written', async () => {
    let calls = 0;
    const commit = new GroupCommit<string>(async (rows) => {
      calls += 1;
      await tick();
      if (rows.includes('bad')) throw new Error('write failed');
    });
    const a = commit.add('a');
    const bad = commit.add('bad');
    const c = commit.add('c');
    await expect(a).resolves.toBeUndefined();
    await expect(bad).rejects.toThrow('write failed');
    await expect(c).rejects.toThrow('write failed');
    await expect(commit.add('d')).resolves.toBeUndefined();
    expect(calls).toBe(3);
  });

  it('splits a long queue into groups of at most maxRows', async () => {
    const sizes: number[] = [];
    const commit = new GroupCommit<number>(async (rows) => {
      sizes.push(rows.length);
      await tick();
    }, 10);
    await Promise.all(Array.from({ length: 36 }, (_, n) => commit.add(n)));
    expect(sizes).toEqual([1, 10, 10, 10, 5]);
  });
});
