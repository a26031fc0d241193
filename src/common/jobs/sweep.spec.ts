import { describe, expect, it } from '@jest/globals';
import { Settling, sweepLeased } from './sweep.js';

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

  it('settling outcomes: workers go on while bookkeeping is written; the sweep returns only once all of it is', async () => {
    const due = source(40);
    const writes: Array<() => void> = [];
    let worked = 0;
    let written = 0;
    let finished = false;
    const sweep = sweepLeased({
      outcomes: ['done'] as const,
      claim: (limit) => due.claim(limit),
      batchSize: 50,
      concurrency: 4,
      work: async () => {
        await tick();
        worked += 1;
        const write = new Promise<void>((resolve) => writes.push(resolve));
        return new Settling(write.then(() => ((written += 1), 'done' as const)));
      },
    }).then((counts) => ((finished = true), counts));
    while (worked < 40) await tick();
    // Every item was worked on with none of its bookkeeping written yet.
    expect(written).toBe(0);
    expect(finished).toBe(false);
    for (const write of writes.splice(0, 39)) write();
    await tick();
    expect(finished).toBe(false);
    writes.splice(0)[0]();
    expect(await sweep).toEqual({ claimed: 40, done: 40 });
    expect(written).toBe(40);
  });

  it('settling outcomes: a worker waits once a batch of them is pending (at most one more per other worker)', async () => {
    const due = source(100);
    const pending = new Set<() => void>();
    let most = 0;
    const sweep = sweepLeased({
      outcomes: ['done'] as const,
      claim: (limit) => due.claim(limit),
      batchSize: 10,
      concurrency: 2,
      work: async () => {
        await tick();
        let resolve!: () => void;
        const write = new Promise<void>((r) => (resolve = r));
        pending.add(resolve);
        most = Math.max(most, pending.size);
        return new Settling(write.then(() => 'done' as const));
      },
    });
    // The database: writes one pending row at a time, slowly.
    let done = false;
    void sweep.then(() => (done = true));
    while (!done) {
      for (let i = 0; i < 3; i += 1) await tick();
      const [first] = pending;
      if (first) {
        pending.delete(first);
        first();
      }
    }
    expect(await sweep).toEqual({ claimed: 100, done: 100 });
    expect(most).toBeLessThanOrEqual(10 + (2 - 1));
  });

  it('a settling outcome that fails fails the sweep once the others are counted', async () => {
    const due = source(6);
    const sweep = sweepLeased({
      outcomes: ['done'] as const,
      claim: (limit) => due.claim(limit),
      batchSize: 3,
      concurrency: 2,
      work: async (item) =>
        new Settling(
          item === 4 ? Promise.reject(new Error('write failed')) : Promise.resolve('done' as const),
        ),
    });
    await expect(sweep).rejects.toThrow('write failed');
  });
});
