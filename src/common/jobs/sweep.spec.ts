import { describe, expect, it } from '@jest/globals';
import { sweepLeased } from './sweep.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

/** A due queue of `total` items claimed in order, with a claim that takes `claimTicks` ticks. */
function source(total: number, claimTicks = 1) {
  let next = 0;
  const claims: number[] = [];
  return {
    claims,
    async claim(limit: number): Promise<number[]> {
      for (let i = 0; i < claimTicks; i += 1) await tick();
      const items = Array.from({ length: Math.min(limit, total - next) }, (_, i) => next + i);
      next += items.length;
      claims.push(items.length);
      return items;
    },
  };
}

describe('sweepLeased', () => {
  it('works on every due item exactly once and counts each outcome', async () => {
    const due = source(103);
    const seen: number[] = [];
    const counts = await sweepLeased({
      outcomes: ['even', 'odd'] as const,
      claim: (limit) => due.claim(limit),
      batchSize: 10,
      concurrency: 4,
      work: async (item) => {
        await tick();
        seen.push(item);
        return item % 2 === 0 ? 'even' : 'odd';
      },
    });
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 103 }, (_, i) => i));
    expect(counts).toEqual({ claimed: 103, even: 52, odd: 51 });
    expect(due.claims.at(-1)).toBe(0);
  });

  it('claims the next batch while the current one is worked on: workers never wait at a batch tail', async () => {
    const due = source(64, 3);
    let inFlight = 0;
    const inFlightAtStart: number[] = [];
    await sweepLeased({
      outcomes: ['done'] as const,
      claim: (limit) => due.claim(limit),
      batchSize: 8,
      concurrency: 4,
      work: async () => {
        inFlight += 1;
        inFlightAtStart.push(inFlight);
        for (let i = 0; i < 5; i += 1) await tick();
        inFlight -= 1;
        return 'done';
      },
    });
    // After the first four start, every item but the last three (the sweep's own tail) starts
    // with the other three workers still busy: a claim never drains the pool.
    const steady = inFlightAtStart.slice(4, -3);
    expect(steady.length).toBeGreaterThan(50);
    expect(steady.every((n) => n === 4)).toBe(true);
  });

  it('holds at most one batch beyond the one being worked on (leases wait briefly)', async () => {
    const due = source(200);
    let claimed = 0;
    let done = 0;
    let mostAhead = 0;
    await sweepLeased({
      outcomes: ['done'] as const,
      claim: async (limit) => {
        const items = await due.claim(limit);
        claimed += items.length;
        mostAhead = Math.max(mostAhead, claimed - done);
        return items;
      },
      batchSize: 10,
      concurrency: 4,
      work: async () => {
        await tick();
        done += 1;
        return 'done';
      },
    });
    expect(mostAhead).toBeLessThanOrEqual(10 + 4);
  });

  it('stops after maxBatches claims even when more is due', async () => {
    const due = source(1000);
    const counts = await sweepLeased({
      outcomes: ['done'] as const,
      claim: (limit) => due.claim(limit),
      batchSize: 10,
      concurrency: 3,
      maxBatches: 4,
      work: async () => 'done' as const,
    });
    expect(counts).toEqual({ claimed: 40, done: 40 });
    expect(due.claims).toHaveLength(4);
  });

  it('a failing claim fails the sweep after the items already leased are worked on', async () => {
    let calls = 0;
    const worked: number[] = [];
    const sweep = sweepLeased({
      outcomes: ['done'] as const,
      claim: async () => {
        calls += 1;
        if (calls === 2) throw new Error('database gone');
        return [1, 2, 3, 4, 5];
      },
      batchSize: 5,
      concurrency: 2,
      work: async (item) => {
        await tick();
        worked.push(item);
        return 'done' as const;
      },
    });
    await expect(sweep).rejects.toThrow('database gone');
    expect(worked.sort()).toEqual([1, 2, 3, 4, 5]);
  });
});
