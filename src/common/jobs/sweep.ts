import { runPool } from './pool.js';

export type SweepCounts<O extends string = string> = Record<O | 'claimed', number>;

export interface SweepSpec<T, O extends string> {
  /** Every outcome `work` can name (counted from 0, so callers can read each). */
  outcomes: readonly O[];
  /** Leases up to `limit` due items (FOR UPDATE SKIP LOCKED), or none when nothing is due. */
  claim(limit: number): Promise<T[]>;
  /** Items claimed per batch. */
  batchSize: number;
  /** Items worked on at once. */
  concurrency: number;
  /** Works on one leased item and names the outcome to count; must release its lease. */
  work(item: T): Promise<O>;
  /** Stops after this many batches even if more items are due (the next tick goes on). */
  maxBatches?: number;
}

/**
 * The leased-batch loop shared by the background sweeps (token refresh, identity re-scan and
 * the ones to come): claim a batch, work on it with bounded concurrency, repeat until nothing
 * is due. Returns how many items ended in each outcome.
 */
export async function sweepLeased<T, O extends string>(
  spec: SweepSpec<T, O>,
): Promise<SweepCounts<O>> {
  const counts = { claimed: 0 } as SweepCounts<O>;
  for (const outcome of spec.outcomes) counts[outcome] = 0;
  for (let batch = 0; batch < (spec.maxBatches ?? 100); batch += 1) {
    const items = await spec.claim(spec.batchSize);
    if (items.length === 0) break;
    counts.claimed += items.length;
    await runPool(items, spec.concurrency, async (item) => {
      const outcome = await spec.work(item);
      counts[outcome] += 1;
    });
  }
  return counts;
}
