/**
 * LeaderEpochCache: for each leader epoch, the first offset written in it (KIP-101). A follower
 * asks the leader "where does my latest epoch end?" (`endOffsetFor`) and truncates its divergent
 * tail to that, instead of to the high watermark. Persisted as `leader-epoch-checkpoint` in the
 * partition directory ("epoch startOffset" lines, storage/FORMAT.md "Checkpoint files"); a missing
 * or corrupt checkpoint is rebuilt by the loader from the partitionLeaderEpoch of every batch.
 *
 * Concurrency: mutated under the partition's log lock or synchronously by the replication layer;
 * `persist()` calls are serialized by the owner (PartitionLog), which persists before appending
 * data in a new epoch.
 */
import * as path from 'node:path';
import type { FileSystem } from '../io/file-system';
import { LEADER_EPOCH_CHECKPOINT_FILE } from '../segment/file-names';
import { parseNonNegativeInt, readCheckpoint, writeCheckpoint } from './checkpoint-file';

export interface EpochEntry {
  epoch: number;
  startOffset: number;
}

export class LeaderEpochCache {
  private epochs: EpochEntry[] = [];
  private dirty = false;

  constructor(
    private readonly fs: FileSystem,
    readonly dir: string,
    private logEndOffset: () => number,
  ) {}

  /** The owning log supplies its live log end offset once it exists. */
  bindLogEndOffset(logEndOffset: () => number): void {
    this.logEndOffset = logEndOffset;
  }

  get filePath(): string {
    return path.join(this.dir, LEADER_EPOCH_CHECKPOINT_FILE);
  }
  get isDirty(): boolean {
    return this.dirty;
  }

  /** Records that `epoch` starts at `startOffset`. Older or equal epochs are ignored (Kafka logs a warning). */
  assign(epoch: number, startOffset: number): void {
    if (!Number.isInteger(epoch) || epoch < 0 || !Number.isSafeInteger(startOffset) || startOffset < 0) return;
    const last = this.epochs[this.epochs.length - 1];
    if (last && epoch <= last.epoch) return;
    // A new epoch cannot start before the previous one: drop entries it supersedes (a leader that
    // truncated and re-appended), as Kafka's LeaderEpochFileCache does.
    while (this.epochs.length > 0 && this.epochs[this.epochs.length - 1]!.startOffset >= startOffset) this.epochs.pop();
    this.epochs.push({ epoch, startOffset });
    this.dirty = true;
  }

  /** -1 when no epoch is known. */
  latestEpoch(): number {
    return this.epochs[this.epochs.length - 1]?.epoch ?? -1;
  }

  /**
   * The end offset (exclusive) of `epoch` on this log: the start offset of the first larger epoch,
   * the log end offset for the latest epoch, or -1 when `epoch` is below the first known epoch.
   * An unknown epoch between two known ones ends where the next known one starts.
   */
  endOffsetFor(epoch: number): number {
    if (this.epochs.length === 0 || epoch < this.epochs[0]!.epoch) return -1;
    if (epoch >= this.latestEpoch()) return epoch === this.latestEpoch() ? this.logEndOffset() : -1;
    for (const entry of this.epochs) if (entry.epoch > epoch) return entry.startOffset;
    return this.logEndOffset();
  }

  entries(): EpochEntry[] {
    return this.epochs.map((e) => ({ ...e }));
  }

  /** Drops entries starting at or after `offset` (log truncated to `offset`). */
  truncateFromEnd(offset: number): void {
    const before = this.epochs.length;
    this.epochs = this.epochs.filter((e) => e.startOffset < offset);
    if (this.epochs.length !== before) this.dirty = true;
  }

  /** Log start moved to `offset`: the epoch covering it now starts there. */
  truncateFromStart(offset: number): void {
    let changed = false;
    while (this.epochs.length > 1 && this.epochs[1]!.startOffset <= offset) {
      this.epochs.shift();
      changed = true;
    }
    const first = this.epochs[0];
    if (first && first.startOffset < offset) {
      first.startOffset = offset;
      changed = true;
    }
    if (changed) this.dirty = true;
  }

  /** Empties the cache; `rewrite` forces the next persist to write the (empty) checkpoint. */
  clear(rewrite = true): void {
    this.epochs = [];
    this.dirty = rewrite;
  }

  /** Loads the checkpoint; 'missing' or 'corrupt' means the loader rebuilds it from the batches. */
  async load(): Promise<'ok' | 'missing' | 'corrupt'> {
    const entries = await readCheckpoint(this.fs, this.filePath, 2);
    if (entries === null) return 'missing';
    if (entries === 'corrupt') return 'corrupt';
    const parsed: EpochEntry[] = [];
    for (const [epochText, offsetText] of entries) {
      const epoch = parseNonNegativeInt(epochText!);
      const startOffset = parseNonNegativeInt(offsetText!);
      const last = parsed[parsed.length - 1];
      if (epoch === null || startOffset === null || epoch < 0 || startOffset < 0) return 'corrupt';
      if (last && (epoch <= last.epoch || startOffset < last.startOffset)) return 'corrupt';
      parsed.push({ epoch, startOffset });
    }
    this.epochs = parsed;
    this.dirty = false;
    return 'ok';
  }

  async persist(): Promise<void> {
    if (!this.dirty) return;
    this.dirty = false;
    try {
      await writeCheckpoint(
        this.fs,
        this.filePath,
        this.epochs.map((e) => `${e.epoch} ${e.startOffset}`),
      );
    } catch (error) {
      this.dirty = true;
      throw error;
    }
  }
}
