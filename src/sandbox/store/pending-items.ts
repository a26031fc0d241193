interface Pending<T> {
  item: T;
  dueMs: number;
}

/** Items waiting, per key, until a due time (Exchange filing a Sent Items copy with a delay). */
export class PendingItems<T> {
  private readonly byKey = new Map<string, Array<Pending<T>>>();

  add(key: string, item: T, dueMs: number): void {
    const list = this.byKey.get(key) ?? [];
    list.push({ item, dueMs });
    this.byKey.set(key, list);
  }

  /** Removes and returns the items of `key` due at `nowMs`, oldest due first. */
  takeDue(key: string, nowMs: number): T[] {
    const list = this.byKey.get(key);
    if (!list) return [];
    const due = list.filter((p) => p.dueMs <= nowMs).sort((a, b) => a.dueMs - b.dueMs);
    if (due.length === 0) return [];
    const rest = list.filter((p) => p.dueMs > nowMs);
    if (rest.length > 0) this.byKey.set(key, rest);
    else this.byKey.delete(key);
    return due.map((p) => p.item);
  }

  clear(): void {
    this.byKey.clear();
  }
}
