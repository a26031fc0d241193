/**
 * Group commit for a job's bookkeeping: each caller adds its row and waits until it is written;
 * rows added while a write is in flight go together in the next one (one statement for all of
 * them). Nothing waits for a timer: alone, a row is written at once; under load, the writes
 * batch themselves. A caller returns only once its own row is stored, so a crash loses nothing
 * that a caller was told is done; a failed write fails every row of its group.
 */
export class GroupCommit<T> {
  private pending: Array<{ row: T; resolve: () => void; reject: (error: unknown) => void }> = [];
  private flushing = false;

  constructor(
    private readonly write: (rows: T[]) => Promise<void>,
    private readonly maxRows = 500,
  ) {}

  add(row: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ row, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.pending.length > 0) {
        const group = this.pending.splice(0, this.maxRows);
        try {
          await this.write(group.map((entry) => entry.row));
          for (const entry of group) entry.resolve();
        } catch (error) {
          for (const entry of group) entry.reject(error);
        }
      }
    } finally {
      this.flushing = false;
    }
  }
}
