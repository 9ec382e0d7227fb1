/**
 * The leader's answers on the cluster port (docs/CLUSTER-PROTOCOL.md "FETCH", "OFFSETS_FOR_LEADER_EPOCH").
 *
 * FETCH, per partition: the leader checks (leader-checks.ts), then the follower's lastFetchedEpoch
 * against its own epochs (a divergence is answered with the epoch to truncate to and no records);
 * otherwise the fetch offset is that follower's log end offset (Partition.updateFollowerFetchState:
 * the HW may move and acks ALL produces complete), the ISR manager hears of it (expand), and the
 * leader's batches from the fetch offset up to its log end are sent as they are in the log. A fetch
 * that would carry fewer than minBytes, no error and no HW move long-polls: it waits for any of its
 * partitions to change (an append, an HW move, a new assignment) or maxWaitMs, then reads again.
 */
import type { Scheduler } from '../../../storage/index';
import type { Partition } from '../partition';
import type { ReplicaManager } from '../replica-manager';
import { epochEndOf } from './epoch-end';
import { checkLeaderFor } from './leader-checks';
import {
  API_FETCH,
  API_OFFSETS_FOR_LEADER_EPOCH,
  ReplicationErrorCode,
  type FetchPartitionRequest,
  type FetchPartitionResponse,
  type FetchRequest,
  type FetchResponse,
  type OffsetsForLeaderEpochRequest,
  type OffsetsForLeaderEpochResponse,
} from './protocol/messages';

export interface LeaderFetchDeps {
  replicas: ReplicaManager;
  scheduler: Scheduler;
  /** After a follower's progress was recorded (the ISR manager checks for an expand). */
  onFollowerProgress(partition: Partition, replicaId: number): void;
}

const EMPTY: Buffer = Buffer.alloc(0);

function errorAnswer(topic: string, partition: number, errorCode: ReplicationErrorCode, p?: Partition): FetchPartitionResponse {
  return {
    topic,
    partition,
    errorCode,
    highWatermark: p?.highWatermark ?? -1,
    logStartOffset: p?.logStartOffset ?? -1,
    logEndOffset: p?.logEndOffset ?? -1,
    divergingEpoch: -1,
    divergingEndOffset: -1,
    records: EMPTY,
  };
}

/** A partition that passed the checks, to read. */
interface Servable {
  request: FetchPartitionRequest;
  partition: Partition;
}

/** Checks, divergence and progress for one partition: the answer when it is final now, else what to read. */
function admit(
  request: FetchPartitionRequest,
  replicaId: number,
  deps: LeaderFetchDeps,
): { answer: FetchPartitionResponse } | (Servable & { hwMoved: boolean }) {
  const check = checkLeaderFor(deps.replicas, request.topic, request.partition, replicaId, request.currentLeaderEpoch);
  if (!check.ok) return { answer: errorAnswer(request.topic, request.partition, check.errorCode) };
  const partition = check.partition;
  if (request.lastFetchedEpoch >= 0) {
    const end = epochEndOf(partition.log.leaderEpochCache, request.lastFetchedEpoch);
    // UNDEFINED (the leader has no epochs: an empty log) is no divergence; the offset check below answers it.
    if (end.epoch >= 0 && (end.epoch < request.lastFetchedEpoch || end.endOffset < request.fetchOffset)) {
      const answer = errorAnswer(request.topic, request.partition, ReplicationErrorCode.NONE, partition);
      return { answer: { ...answer, divergingEpoch: end.epoch, divergingEndOffset: end.endOffset } };
    }
  }
  if (request.fetchOffset < partition.logStartOffset || request.fetchOffset > partition.logEndOffset) {
    return { answer: errorAnswer(request.topic, request.partition, ReplicationErrorCode.OFFSET_OUT_OF_RANGE, partition) };
  }
  const hwMoved = partition.updateFollowerFetchState(replicaId, request.fetchOffset);
  deps.onFollowerProgress(partition, replicaId);
  return { request, partition, hwMoved };
}

async function readServable(
  items: readonly Servable[],
  replicaId: number,
  maxBytes: number,
  deps: LeaderFetchDeps,
): Promise<{ answers: FetchPartitionResponse[]; bytes: number }> {
  const answers: FetchPartitionResponse[] = [];
  let bytes = 0;
  for (const { request, partition } of items) {
    // Leadership may have moved while the fetch waited: check again before reading.
    const check = checkLeaderFor(deps.replicas, request.topic, request.partition, replicaId, request.currentLeaderEpoch);
    if (!check.ok) {
      answers.push(errorAnswer(request.topic, request.partition, check.errorCode));
      continue;
    }
    const room = Math.min(request.partitionMaxBytes, maxBytes - bytes);
    let records: Buffer = EMPTY;
    if (room > 0 && request.fetchOffset < partition.logEndOffset) {
      try {
        const batches = await partition.log.read(request.fetchOffset, {
          maxOffset: partition.logEndOffset,
          maxBytes: room,
          minOneBatch: bytes === 0,
        });
        records = batches.length === 1 ? batches[0]!.bytes : Buffer.concat(batches.map((b) => b.bytes));
      } catch {
        answers.push(errorAnswer(request.topic, request.partition, ReplicationErrorCode.UNKNOWN_SERVER_ERROR, partition));
        continue;
      }
    }
    bytes += records.length;
    answers.push({ ...errorAnswer(request.topic, request.partition, ReplicationErrorCode.NONE, partition), records });
  }
  return { answers, bytes };
}

/**
 * Resolves when any of `partitions` changes, `maxWaitMs` passes or the connection closes; every
 * listener is removed again (a long-lived connection parks a fetch twice a second).
 */
function waitForChange(partitions: readonly Partition[], maxWaitMs: number, scheduler: Scheduler, abandoned: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    const stops: (() => void)[] = [];
    const done = () => {
      for (const stop of stops) stop();
      resolve();
    };
    for (const partition of partitions) stops.push(partition.onChange(done));
    const timer = scheduler.after(maxWaitMs, done);
    stops.push(() => timer.cancel());
    if (abandoned.aborted) return done();
    abandoned.addEventListener('abort', done, { once: true });
    stops.push(() => abandoned.removeEventListener('abort', done));
  });
}

export async function answerFetch(request: FetchRequest, deps: LeaderFetchDeps, abandoned: AbortSignal): Promise<FetchResponse> {
  const final = new Map<number, FetchPartitionResponse>();
  const servable: Servable[] = [];
  let respondNow = false;
  request.partitions.forEach((p, index) => {
    const admitted = admit(p, request.replicaId, deps);
    if ('answer' in admitted) {
      final.set(index, admitted.answer);
      respondNow = true;
    } else {
      servable.push(admitted);
      // The HW this fetch moved goes back at once, so the follower learns it without a wait.
      if (admitted.hwMoved) respondNow = true;
    }
  });
  let read = await readServable(servable, request.replicaId, request.maxBytes, deps);
  if (!respondNow && read.bytes < request.minBytes && request.maxWaitMs > 0 && servable.length > 0) {
    await waitForChange(
      servable.map((s) => s.partition),
      request.maxWaitMs,
      deps.scheduler,
      abandoned,
    );
    read = await readServable(servable, request.replicaId, request.maxBytes, deps);
  }
  const answers: FetchPartitionResponse[] = [];
  let next = 0;
  request.partitions.forEach((_, index) => answers.push(final.get(index) ?? read.answers[next++]!));
  return { apiKey: API_FETCH, errorCode: ReplicationErrorCode.NONE, partitions: answers };
}

export function answerOffsetsForLeaderEpoch(
  request: OffsetsForLeaderEpochRequest,
  replicas: ReplicaManager,
): OffsetsForLeaderEpochResponse {
  return {
    apiKey: API_OFFSETS_FOR_LEADER_EPOCH,
    partitions: request.partitions.map((q) => {
      const check = checkLeaderFor(replicas, q.topic, q.partition, request.replicaId, q.currentLeaderEpoch);
      if (!check.ok) return { topic: q.topic, partition: q.partition, errorCode: check.errorCode, leaderEpoch: -1, endOffset: -1 };
      const end = epochEndOf(check.partition.log.leaderEpochCache, q.leaderEpoch);
      return {
        topic: q.topic,
        partition: q.partition,
        errorCode: ReplicationErrorCode.NONE,
        leaderEpoch: end.epoch,
        endOffset: end.endOffset,
      };
    }),
  };
}
