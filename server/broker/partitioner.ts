/**
 * Partition choice for produced records, as Kafka's default partitioner does it: an explicit
 * partition wins; else a keyed record goes to toPositive(murmur2(key)) % partitionCount (so a
 * Kafka client and Logway agree on where a key lives); else keyless records stick to one partition
 * per produce call, and the next call moves on (Kafka's sticky partitioner, KIP-480: one bigger
 * batch beats many small ones).
 */

const SEED = 0x9747b28c;
const M = 0x5bd1e995;
const R = 24;

/** Kafka's `Utils.murmur2`: 32-bit MurmurHash2 with Kafka's seed, as a signed int32. */
export function murmur2(data: Uint8Array): number {
  const length = data.length;
  let h = SEED ^ length;
  const tail = length & ~3;
  for (let i = 0; i < tail; i += 4) {
    let k = data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24);
    k = Math.imul(k, M);
    k ^= k >>> R;
    k = Math.imul(k, M);
    h = Math.imul(h, M);
    h ^= k;
  }
  const rest = length & 3;
  if (rest === 3) h ^= data[tail + 2]! << 16;
  if (rest >= 2) h ^= data[tail + 1]! << 8;
  if (rest >= 1) {
    h ^= data[tail]!;
    h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

export function partitionForKey(key: Uint8Array, partitionCount: number): number {
  return (murmur2(key) & 0x7fffffff) % partitionCount;
}

/** Remembers, per topic, which partition keyless records went to last, to move on each call. */
export class StickyPartitioner {
  private readonly lastByTopic = new Map<string, number>();

  /** The partition for this call's keyless records: a random one other than last call's. */
  next(topic: string, partitionCount: number): number {
    const last = this.lastByTopic.get(topic);
    let partition = Math.floor(Math.random() * partitionCount);
    if (partitionCount > 1 && partition === last) partition = (partition + 1) % partitionCount;
    this.lastByTopic.set(topic, partition);
    return partition;
  }

  forget(topic: string): void {
    this.lastByTopic.delete(topic);
  }
}
