/**
 * KeyOffsetMap: key → offset of its latest record, over the range being compacted (Kafka's
 * SkimpyOffsetMap). Keys are stored as latin1 strings of their bytes — a lossless 1:1 byte→char
 * mapping, so equal keys give equal strings with no hashing collisions to reason about. Bounded by
 * `maxEntryCount` (default 1,000,000 keys: ~100 MB at 64-byte keys); the compactor stops adding
 * segments once it is full and compacts the prefix it covers (the next pass continues).
 *
 * Concurrency: owned by one compaction pass.
 */
export const DEFAULT_KEY_MAP_MAX_ENTRIES = 1_000_000;

export class KeyOffsetMap {
  private readonly offsets = new Map<string, number>();

  constructor(readonly maxEntryCount = DEFAULT_KEY_MAP_MAX_ENTRIES) {}

  get size(): number {
    return this.offsets.size;
  }
  get isFull(): boolean {
    return this.offsets.size >= this.maxEntryCount;
  }

  put(key: Buffer, offset: number): void {
    this.offsets.set(key.toString('latin1'), offset);
  }

  /** The latest offset seen for `key`, or -1. */
  get(key: Buffer): number {
    return this.offsets.get(key.toString('latin1')) ?? -1;
  }
}
