/**
 * GroupCommitQueue: the queue in front of a log's writer. Callers enqueue and get a promise; one
 * drain loop hands the writer EVERY queued item at once (a "group"), and items enqueued while that
 * group is being written and fsynced form the next group. So N concurrent appends cost about one
 * write + one fsync per round instead of N (group commit); with one caller it degenerates to
 * write → fsync → resolve per append.
 *
 * Concurrency: single-threaded JS; `processGroup` runs one group at a time and must settle every
 * entry of its group (resolve or reject).
 */
export interface QueuedEntry<Item, Result> {
  item: Item;
  resolve: (result: Result) => void;
  reject: (error: unknown) => void;
}

export class GroupCommitQueue<Item, Result> {
  private pending: QueuedEntry<Item, Result>[] = [];
  private draining: Promise<void> | null = null;

  constructor(private readonly processGroup: (group: QueuedEntry<Item, Result>[]) => Promise<void>) {}

  enqueue(item: Item): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      this.draining ??= this.drain();
    });
  }

  /** Resolves once everything enqueued so far was processed. */
  async whenIdle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const group = this.pending;
        this.pending = [];
        try {
          await this.processGroup(group);
        } catch (error) {
          for (const entry of group) entry.reject(error); // settling twice is a no-op
        }
      }
    } finally {
      this.draining = null;
    }
  }
}
