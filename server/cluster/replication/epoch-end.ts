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

export function epochEndOf(cache: LeaderEpochCache, requestedEpoch: number): EpochEndOffset {
  let epoch = -1;
  for (const entry of cache.entries()) if (entry.epoch <= requestedEpoch) epoch = entry.epoch;
  if (epoch < 0) return UNDEFINED_EPOCH_END;
  return { epoch, endOffset: cache.endOffsetFor(epoch) };
}

/**
 * The follower's truncation point for the leader's answer to its latest epoch: the smaller of the
 * leader's end offset and the follower's own log end, and — when the leader answered an older
 * epoch than asked — the follower's own end of that epoch (KIP-279: both logs agree only up to
 * there; the start of its first epoch when it has none that old). With no answer (-1) only the
 * follower's high watermark is known safe.
 */
export function truncationOffset(leaderAnswer: EpochEndOffset, askedEpoch: number, follower: { cache: LeaderEpochCache; logEndOffset: number; highWatermark: number }): number {
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
