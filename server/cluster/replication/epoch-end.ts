/**
 * Where a leader epoch ends on a log (KIP-101, KIP-279), for both sides of the truncation:
 * the leader answers OFFSETS_FOR_LEADER_EPOCH and checks a fetch's lastFetchedEpoch with
 * `epochEndOf`; the follower turns the answer into the offset to truncate to with
 * `truncationOffset` (docs/CLUSTER-PROTOCOL.md "Follower states per partition").
 */
import type { LeaderEpochCache } from '../../../storage/index';

export interface EpochEndOffset {
  /** The largest epoch ≤ the asked one in the cache, or -1. */
  epoch: number;
  /** Its end offset (exclusive) on the log, or -1. */
  endOffset: number;
}

export const UNDEFINED_EPOCH_END: EpochEndOffset = { epoch: -1, endOffset: -1 };

/**
 * Kafka's LeaderEpochFileCache.endOffsetFor: the largest epoch ≤ the asked one and where it ends.
 * Asked for an epoch older than every epoch the leader has, the answer is that epoch ending where
 * the leader's first epoch starts: nothing the follower wrote in it is on the leader, so it
 * truncates there (without this the follower would fall back to its own HW, which may cover
 * records the leader never had). An empty cache answers UNDEFINED.
 */
export function epochEndOf(cache: LeaderEpochCache, requestedEpoch: number): EpochEndOffset {
  const entries = cache.entries();
  if (entries.length === 0 || requestedEpoch < 0) return UNDEFINED_EPOCH_END;
  if (requestedEpoch < entries[0]!.epoch) return { epoch: requestedEpoch, endOffset: entries[0]!.startOffset };
  let epoch = -1;
  for (const entry of entries) if (entry.epoch <= requestedEpoch) epoch = entry.epoch;
  return { epoch, endOffset: cache.endOffsetFor(epoch) };
}

/**
 * The follower's truncation point for the leader's answer to its latest epoch: the smaller of the
 * leader's end offset and the follower's own log end, and — when the leader answered an older
 * epoch than asked — the follower's own end of that epoch (KIP-279: both logs agree only up to
 * there; the start of its first epoch when it has none that old). With no answer (-1) only the
 * follower's high watermark is known safe.
 */
export function truncationOffset(
  leaderAnswer: EpochEndOffset,
  askedEpoch: number,
  follower: { cache: LeaderEpochCache; logEndOffset: number; highWatermark: number },
): number {
  if (leaderAnswer.epoch < 0 || leaderAnswer.endOffset < 0) return Math.min(follower.highWatermark, follower.logEndOffset);
  let offset = Math.min(leaderAnswer.endOffset, follower.logEndOffset);
  if (leaderAnswer.epoch < askedEpoch) {
    // Below the follower's first epoch its end is -1: then none of its epochs is on the leader,
    // and everything from its first epoch's start diverges.
    const ownEnd = follower.cache.endOffsetFor(leaderAnswer.epoch);
    const firstStart = follower.cache.entries()[0]?.startOffset ?? follower.logEndOffset;
    offset = Math.min(offset, ownEnd >= 0 ? ownEnd : firstStart);
  }
  return offset;
}
