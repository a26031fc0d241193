export type SweepCounts<O extends string = string> = Record<O | 'claimed', number>;

export interface SweepSpec<T, O extends string, P = undefined> {
  /** Every outcome `work` can name (counted from 0, so callers can read each). */
  outcomes: readonly O[];
  /** Leases up to `limit` due items (FOR UPDATE SKIP LOCKED), or none when nothing is due. */
  claim(limit: number): Promise<T[]>;
  /** Items claimed per batch. */
  batchSize: number;
  /** Items worked on at once. */
  concurrency: number;
  /**
   * Works on one leased item and names the outcome to count; must release its lease. A
   * `Settling` outcome lets the worker go on while the item's bookkeeping is written.
   */
  work(item: T, prepared?: P): Promise<O | Settling<O>>;
  /**
   * Optional first step of an item, started as soon as a worker takes the item ahead, while the
   * worker still works on the one before (each worker holds at most one item ahead); its result
   * is handed to `work`. Must not reject (an unhandled rejection stops the process): fold errors
   * into the result.
   */
  prepare?(item: T): P;
  /** Stops after this many batches even if more items are due (the next tick goes on). */
  maxBatches?: number;
}

/**
 * An item whose work is done but whose bookkeeping (a group commit) is still being written: the
 * worker takes its next item meanwhile; the outcome is counted once written, and the sweep
 * returns only after every one is. A crash before the write loses nothing: the item keeps its
 * lease and stays due, so it is worked on again once the lease expires. `outcome` should not
 * reject (a rejection fails the sweep, like a failed claim).
 */
export class Settling<O> {
  constructor(readonly outcome: Promise<O>) {}
}

/**
 * The leased-batch loop shared by the background sweeps (token refresh, identity re-scan and
 * the ones to come): claim a batch, work on it with bounded concurrency, until nothing is due.
 * Pipelined: the next batch is claimed while the current one still has `concurrency` items to
 * go, so no worker waits at a batch's tail or for the claim's round trip (leases taken early
 * wait at most one batch's work). With `prepare`, each worker also prepares its next item while
 * it works on the current one. Returns how many items ended in each outcome.
 */
export async function sweepLeased<T, O extends string, P = undefined>(
  spec: SweepSpec<T, O, P>,
): Promise<SweepCounts<O>> {
  const counts = { claimed: 0 } as SweepCounts<O>;
  for (const outcome of spec.outcomes) counts[outcome] = 0;
  const maxBatches = spec.maxBatches ?? 100;
  const queue: T[] = [];
  let batches = 0;
  let exhausted = false;
  let claiming: Promise<void> | null = null;
  let failure: unknown = null;

  const claimNext = (): Promise<void> => {
    claiming ??= (async () => {
      try {
        const items = await spec.claim(spec.batchSize);
        batches += 1;
        counts.claimed += items.length;
        queue.push(...items);
        if (items.length === 0 || batches >= maxBatches) exhausted = true;
      } catch (error) {
        failure ??= error;
        exhausted = true;
      } finally {
        claiming = null;
      }
    })();
    return claiming;
  };

  /** Next item to work on; claims ahead when the queue runs low; null when the sweep is done. */
  const take = async (): Promise<T | null> => {
    for (;;) {
      if (!exhausted && queue.length <= spec.concurrency) void claimNext();
      const item = queue.shift();
      if (item !== undefined) return item;
      if (!claiming) return null;
      await claiming;
    }
  };

  // Bookkeeping still being written; a worker waits only when a batch's worth is pending.
  const settling = new Set<Promise<void>>();
  const settle = ({ outcome }: Settling<O>) => {
    const counted: Promise<void> = outcome
      .then(
        (o) => void (counts[o] += 1),
        (error: unknown) => void (failure ??= error),
      )
      .finally(() => settling.delete(counted));
    settling.add(counted);
  };

  /** The next item, its `prepare` started. */
  const takePrepared = async (): Promise<{ item: T; prepared?: P } | null> => {
    const item = await take();
    return item === null ? null : { item, prepared: spec.prepare?.(item) };
  };

  const worker = async () => {
    let current = await takePrepared();
    while (current !== null) {
      // With a prepare step, the next item is taken now, so it is prepared meanwhile.
      const ahead = spec.prepare ? takePrepared() : null;
      const outcome = await spec.work(current.item, current.prepared);
      if (!(outcome instanceof Settling)) counts[outcome] += 1;
      else settle(outcome);
      while (settling.size >= spec.batchSize) await Promise.race(settling);
      current = await (ahead ?? takePrepared());
    }
  };
  await claimNext();
  await Promise.all(Array.from({ length: spec.concurrency }, worker));
  await Promise.all(settling);
  if (failure) throw failure;
  return counts;
}
