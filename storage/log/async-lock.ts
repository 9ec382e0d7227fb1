/**
 * AsyncLock: a FIFO mutex for async critical sections — the partition's log lock. Appends (one
 * group at a time), roll, truncation, retention deletes and the compaction swap hold it; reads
 * never do. The node's other critical sections (topic admin, a group's catalog writes) use it
 * too (storage/index.ts exports it): one mutex in the tree; a failed section frees the lock. Methods that must be called with it held end in `Locked` (docs/HOUSE-STYLE.md §3.3).
 *
 * Concurrency: single-threaded JS; waiters run in arrival order.
 */
export class AsyncLock {
  private tail: Promise<void> = Promise.resolve();

  run<T>(critical: () => Promise<T>): Promise<T> {
    const result = this.tail.then(critical);
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}
