/**
 * This node's replica of one partition (Kafka's Partition.scala): its role, the replica state
 * the controller assigned (leader, leader epoch, replicas, ISR) and, as leader, the log end
 * offsets the followers reported. The high watermark follows one rule: HW = the smallest log end
 * offset of the ISR (the leader's own included), and it only moves up.
 *
 * Produce: appendRecordsToLeader (the min-ISR check for acks ALL, the append stamped with the
 * leader epoch and, for an idempotent producer, its id/epoch/sequence — the log answers a
 * duplicate with the original offsets — then maybeIncrementLeaderHW); acks ALL then waits in awaitReplicas until the HW
 * covers the append (checkEnoughReplicasReachOffset). On the embedded single node the replicas
 * and the ISR are this node alone, so the HW is the log end offset after every append and
 * awaitReplicas never waits: the single-node behaviour, unchanged.
 *
 * As leader it also keeps each follower's fetch state (Kafka's Replica.updateFetchState): when it
 * last caught up with the leader's log end, which the ISR shrink reads against
 * `replica.lag.time.max.ms` (laggingReplicas), and whether an out-of-sync follower may rejoin
 * (canRejoinIsr). Watchers (onChange) hear every append, HW move and new assignment: the
 * replication server's long-polling fetches wait on them.
 *
 * Single-threaded (the event loop). No timer runs unless an acks ALL produce is waiting.
 */
import {
  encodeEndTransactionMarker,
  SystemClock,
  SystemScheduler,
  type AppendResult,
  type Clock,
  type ControlRecordType,
  type LogRecordInput,
  type PartitionLog,
  type ScheduledTask,
  type Scheduler,
} from '../../storage/index';
import type { PartitionRecord } from '../catalog/catalog';
import { NotEnoughReplicasAfterAppendError, NotEnoughReplicasError, NotLeaderOrFollowerError, RequestTimedOutError } from '../errors';

export type ReplicaRole = 'LEADER' | 'FOLLOWER' | 'NONE';
export type RequiredAcks = 'NONE' | 'LEADER' | 'ALL';
/** What the controller decides about a partition (the catalog's partition row without its key). */
export type ReplicaAssignment = Pick<PartitionRecord, 'leaderId' | 'leaderEpoch' | 'replicas' | 'isr'>;

/** A follower the leader has not heard from yet (Kafka's UnknownOffset): it holds the HW back. */
export const UNKNOWN_LOG_END_OFFSET = -1;

export function roleOf(localId: number, assignment: ReplicaAssignment): ReplicaRole {
  if (assignment.leaderId === localId) return 'LEADER';
  return assignment.replicas.includes(localId) ? 'FOLLOWER' : 'NONE';
}

/** HW = the smallest log end offset of the ISR; `logEndOffsetOf` answers for every member. */
export function highWatermarkOver(isr: readonly number[], logEndOffsetOf: (replicaId: number) => number): number {
  let hw = Number.POSITIVE_INFINITY;
  for (const replicaId of isr) hw = Math.min(hw, logEndOffsetOf(replicaId));
  return hw;
}

/** min.insync.replicas, capped at the replica count (a 1-replica topic takes acks ALL with min ISR 2). */
export function effectiveMinIsr(minInsyncReplicas: number, replicaCount: number): number {
  return Math.min(minInsyncReplicas, replicaCount);
}

/** An idempotent producer's fields for the batch header (storage/FORMAT.md §12: baseSequence = the call's sequence). */
export interface ProducerBatchFields {
  producerId: number;
  epoch: number;
  sequence: number;
  /** A transactional producer's batch inside a transaction (FORMAT.md §2 attribute bit 4). */
  isTransactional?: boolean;
}

export interface LeaderAppend {
  result: AppendResult;
  /** True when the append moved the HW: the caller wakes the partition's readers. */
  highWatermarkIncremented: boolean;
}

/** What the leader knows of a follower's fetching (monotonic milliseconds). */
interface FollowerFetchState {
  lastCaughtUpTimeMs: number;
  lastFetchTimeMs: number;
  /** The leader's log end offset when it answered that follower's previous fetch. */
  lastFetchLeaderLogEndOffset: number;
}

interface ReplicaWaiter {
  requiredOffset: number;
  minInsyncReplicas: number;
  resolve(): void;
  reject(error: unknown): void;
  timer: ScheduledTask;
}

export class Partition {
  private current: ReplicaAssignment;
  private currentRole: ReplicaRole;
  /** Log end offsets the followers reported (leader only); never this node's own. */
  private readonly followerLogEndOffsets = new Map<number, number>();
  private readonly waiters = new Set<ReplicaWaiter>();
  private readonly followerFetch = new Map<number, FollowerFetchState>();
  private readonly watchers = new Set<() => void>();
  /** The log end offset when this node became leader in its epoch: a follower rejoins the ISR only past it. */
  private epochStartOffset = 0;
  private leaderSinceMs = 0;
  /** The ISR of a change this leader proposed and the control plane has not answered yet (beginIsrChange). */
  private pendingIsr: readonly number[] | null = null;

  /** `scheduler` times out acks ALL waits (a ManualScheduler in seeded tests); `clock` times follower lag. */
  constructor(
    readonly localId: number,
    readonly log: PartitionLog,
    assignment: ReplicaAssignment,
    private readonly scheduler: Scheduler = new SystemScheduler(),
    private readonly clock: Clock = new SystemClock(),
  ) {
    this.current = assignment;
    this.currentRole = roleOf(localId, assignment);
    if (this.currentRole === 'LEADER') {
      this.startLeaderEpoch();
      this.maybeIncrementLeaderHW();
    }
  }

  get topic(): string {
    return this.log.topic;
  }
  get partition(): number {
    return this.log.partition;
  }
  get role(): ReplicaRole {
    return this.currentRole;
  }
  get leaderId(): number | null {
    return this.current.leaderId;
  }
  get leaderEpoch(): number {
    return this.current.leaderEpoch;
  }
  get replicas(): readonly number[] {
    return this.current.replicas;
  }
  get isr(): readonly number[] {
    return this.current.isr;
  }
  get highWatermark(): number {
    return this.log.highWatermark;
  }
  get logEndOffset(): number {
    return this.log.logEndOffset;
  }
  get lastStableOffset(): number {
    return this.log.lastStableOffset;
  }
  get logStartOffset(): number {
    return this.log.logStartOffset;
  }

  /**
   * Takes a new assignment from the controller (Kafka's makeLeader / makeFollower, and ISR
   * changes). A leader recomputes the HW over the new ISR (a shrunk ISR can move it); waiting
   * acks ALL produces are then completed or failed. True when the HW moved.
   */
  applyAssignment(assignment: ReplicaAssignment): boolean {
    const wasLeader = this.currentRole === 'LEADER';
    const newEpoch = assignment.leaderEpoch !== this.current.leaderEpoch;
    this.current = assignment;
    this.currentRole = roleOf(this.localId, assignment);
    if (this.currentRole !== 'LEADER' || !wasLeader || newEpoch) {
      this.followerLogEndOffsets.clear();
      this.followerFetch.clear();
    }
    if (this.currentRole === 'LEADER' && (!wasLeader || newEpoch)) this.startLeaderEpoch();
    for (const replicaId of this.followerLogEndOffsets.keys()) {
      if (!assignment.replicas.includes(replicaId)) this.followerLogEndOffsets.delete(replicaId);
    }
    const moved = this.currentRole === 'LEADER' && this.maybeIncrementLeaderHW();
    this.completeWaiters();
    this.notifyWatchers();
    return moved;
  }

  get leaderEpochStartOffset(): number {
    return this.epochStartOffset;
  }

  /** The follower's fetcher moved this replica's high watermark: its readers are told (onChange). */
  followerHighWatermarkMoved(): void {
    this.notifyWatchers();
  }

  /** Calls `watcher` after every append, HW move and new assignment, until the returned function is called. */
  onChange(watcher: () => void): () => void {
    this.watchers.add(watcher);
    return () => this.watchers.delete(watcher);
  }

  /**
   * A follower's fetch at `fetchOffset` (its log end offset), as the replication server saw it
   * (Kafka's Replica.updateFetchState): it caught up when it asked for the leader's log end, or
   * for at least what the leader's log end was when it answered its previous fetch. True when the
   * HW moved.
   */
  updateFollowerFetchState(replicaId: number, fetchOffset: number): boolean {
    const moved = this.updateFollowerLogEndOffset(replicaId, fetchOffset);
    const nowMs = this.clock.monotonicMs();
    const state = this.followerFetch.get(replicaId) ?? {
      lastCaughtUpTimeMs: this.initialCaughtUpMs(replicaId),
      lastFetchTimeMs: nowMs,
      lastFetchLeaderLogEndOffset: -1,
    };
    const leaderLogEndOffset = this.log.logEndOffset;
    if (fetchOffset >= leaderLogEndOffset) state.lastCaughtUpTimeMs = nowMs;
    else if (state.lastFetchLeaderLogEndOffset >= 0 && fetchOffset >= state.lastFetchLeaderLogEndOffset)
      state.lastCaughtUpTimeMs = Math.max(state.lastCaughtUpTimeMs, state.lastFetchTimeMs);
    state.lastFetchTimeMs = nowMs;
    state.lastFetchLeaderLogEndOffset = leaderLogEndOffset;
    this.followerFetch.set(replicaId, state);
    return moved;
  }

  /** ISR followers that have not caught up for longer than `lagTimeMaxMs` (replica.lag.time.max.ms): to shrink out. */
  laggingReplicas(lagTimeMaxMs: number): number[] {
    if (this.currentRole !== 'LEADER') return [];
    const nowMs = this.clock.monotonicMs();
    return this.current.isr.filter(
      (id) => id !== this.localId && nowMs - (this.followerFetch.get(id)?.lastCaughtUpTimeMs ?? this.initialCaughtUpMs(id)) > lagTimeMaxMs,
    );
  }

  /**
   * Whether `replicaId`, outside the ISR, may rejoin now (Kafka's isFollowerInSync): its log end
   * reached the HW and this epoch's start. Asked for the follower that just fetched only: a
   * silent follower's last report must not bring it back.
   */
  canRejoinIsr(replicaId: number): boolean {
    if (this.currentRole !== 'LEADER' || this.current.isr.includes(replicaId) || !this.current.replicas.includes(replicaId)) return false;
    const logEndOffset = this.followerLogEndOffsets.get(replicaId);
    return logEndOffset !== undefined && logEndOffset >= this.log.highWatermark && logEndOffset >= this.epochStartOffset;
  }

  /**
   * Each follower's lag behind this leader (metrics): records = leader log end − its reported log
   * end (the whole log when it reported nothing), ms = time since it last caught up.
   */
  followerLag(): { replicaId: number; records: number; ms: number }[] {
    if (this.currentRole !== 'LEADER') return [];
    const nowMs = this.clock.monotonicMs();
    return this.current.replicas
      .filter((id) => id !== this.localId)
      .map((replicaId) => {
        const reported = this.followerLogEndOffsets.get(replicaId) ?? this.log.logStartOffset;
        const caughtUpMs = this.followerFetch.get(replicaId)?.lastCaughtUpTimeMs ?? this.initialCaughtUpMs(replicaId);
        return {
          replicaId,
          records: Math.max(0, this.log.logEndOffset - reported),
          ms: Number.isFinite(caughtUpMs) ? Math.max(0, nowMs - caughtUpMs) : -1,
        };
      });
  }

  /** A follower nothing is known of yet counts as caught up when this node became leader (Kafka does the same for the ISR it inherits). */
  private initialCaughtUpMs(replicaId: number): number {
    return this.current.isr.includes(replicaId) ? this.leaderSinceMs : Number.NEGATIVE_INFINITY;
  }

  private startLeaderEpoch(): void {
    this.epochStartOffset = this.log.logEndOffset;
    this.leaderSinceMs = this.clock.monotonicMs();
  }

  private notifyWatchers(): void {
    for (const watcher of [...this.watchers]) watcher();
  }

  /**
   * Leader produce (Kafka's appendRecordsToLeader). acks ALL is refused before anything is
   * written when the ISR is smaller than min.insync.replicas; NONE and LEADER are not checked
   * (as in Kafka). Not the leader: NOT_LEADER_OR_FOLLOWER, nothing written.
   */
  async appendRecordsToLeader(
    records: LogRecordInput[],
    acks: RequiredAcks,
    minInsyncReplicas: number,
    producer: ProducerBatchFields | null = null,
  ): Promise<LeaderAppend> {
    this.requireLeader();
    if (acks === 'ALL') this.checkMinIsr(minInsyncReplicas);
    const idempotence = producer
      ? {
          producerId: producer.producerId,
          producerEpoch: producer.epoch,
          baseSequence: producer.sequence,
          isTransactional: producer.isTransactional === true,
        }
      : {};
    const result = await this.log.append(records, { leaderEpoch: this.current.leaderEpoch, ...idempotence });
    const highWatermarkIncremented = this.maybeIncrementLeaderHW();
    if (highWatermarkIncremented && this.waiters.size > 0) this.completeWaiters();
    this.notifyWatchers();
    return { result, highWatermarkIncremented };
  }

  /**
   * A transaction marker (Kafka's WriteTxnMarkers on the leader): one control batch with one
   * COMMIT or ABORT record, stamped with the producer id and epoch (storage/FORMAT.md §4). Not the
   * leader: NOT_LEADER_OR_FOLLOWER, nothing written. The caller waits for the ISR (awaitReplicas).
   */
  async appendEndTxnMarkerToLeader(
    type: ControlRecordType,
    producerId: number,
    producerEpoch: number,
    timestampMs: number,
  ): Promise<LeaderAppend> {
    this.requireLeader();
    const marker = encodeEndTransactionMarker({ type, coordinatorEpoch: 0 }, timestampMs);
    const result = await this.log.append([marker], {
      leaderEpoch: this.current.leaderEpoch,
      producerId,
      producerEpoch,
      isTransactional: true,
      isControl: true,
    });
    const highWatermarkIncremented = this.maybeIncrementLeaderHW();
    if (highWatermarkIncremented && this.waiters.size > 0) this.completeWaiters();
    return { result, highWatermarkIncremented };
  }

  /**
   * What a follower's fetch tells the leader: its log end offset (the replica fetcher will call
   * this; tests stand in for it). True when the HW moved.
   */
  updateFollowerLogEndOffset(replicaId: number, logEndOffset: number): boolean {
    this.requireLeader();
    if (replicaId === this.localId || !this.current.replicas.includes(replicaId)) {
      throw new RangeError(`${this.topic}-${this.partition}: ${replicaId} is not a follower of this partition`);
    }
    this.followerLogEndOffsets.set(replicaId, logEndOffset);
    const moved = this.maybeIncrementLeaderHW();
    if (moved) {
      this.completeWaiters();
      this.notifyWatchers();
    }
    return moved;
  }

  /** The log end offset the leader knows for a replica (its own for itself). */
  replicaLogEndOffset(replicaId: number): number {
    if (replicaId === this.localId) return this.log.logEndOffset;
    return this.followerLogEndOffsets.get(replicaId) ?? UNKNOWN_LOG_END_OFFSET;
  }

  /**
   * The replicas the HW waits for: the ISR, plus every member of an ISR change in flight (Kafka's
   * maximal ISR, KIP-497). An expansion is stored by the control plane before this leader hears
   * the answer; from then on the new member may be elected leader, so no record may count as
   * committed without it — the HW waits for it from the moment the change is proposed. A
   * shrink in flight keeps the old, larger ISR until it is stored.
   */
  get maximalIsr(): readonly number[] {
    if (this.pendingIsr === null) return this.current.isr;
    return [...new Set([...this.current.isr, ...this.pendingIsr])];
  }

  /** The ISR manager proposes `isr` to the control plane (AlterIsr); endIsrChange after the answer was applied. */
  beginIsrChange(isr: readonly number[]): void {
    this.pendingIsr = [...isr];
  }

  endIsrChange(): void {
    if (this.pendingIsr === null) return;
    this.pendingIsr = null;
    if (this.currentRole === 'LEADER' && this.maybeIncrementLeaderHW()) {
      this.completeWaiters();
      this.notifyWatchers();
    }
  }

  /** Kafka's maybeIncrementLeaderHW: HW = the smallest log end offset of the maximal ISR, never down. True if it moved. */
  maybeIncrementLeaderHW(): boolean {
    const hw = highWatermarkOver(this.maximalIsr, (id) => this.replicaLogEndOffset(id));
    return Number.isFinite(hw) && this.log.updateHighWatermark(hw);
  }

  /**
   * Kafka's checkEnoughReplicasReachOffset, for acks ALL: 'REACHED' once the HW covers
   * `requiredOffset` (exclusive end of the append) with the ISR still at min.insync.replicas,
   * 'WAITING' before, or the error to answer (the records are written then: a retry duplicates).
   */
  checkEnoughReplicasReachOffset(requiredOffset: number, minInsyncReplicas: number): 'REACHED' | 'WAITING' | Error {
    if (this.currentRole !== 'LEADER') return this.notLeader();
    if (this.log.highWatermark < requiredOffset) return 'WAITING';
    const minIsr = effectiveMinIsr(minInsyncReplicas, this.current.replicas.length);
    if (this.current.isr.length < minIsr) {
      return new NotEnoughReplicasAfterAppendError(this.topic, this.partition, this.current.isr.length, minIsr);
    }
    return 'REACHED';
  }

  /**
   * acks ALL after the append: null when the ISR already has it (always, on one node: no promise
   * made), else a promise that settles when it has, or fails (NOT_ENOUGH_REPLICAS_AFTER_APPEND,
   * NOT_LEADER_OR_FOLLOWER, REQUEST_TIMED_OUT after `timeoutMs`).
   */
  awaitReplicas(requiredOffset: number, minInsyncReplicas: number, timeoutMs: number): Promise<void> | null {
    const outcome = this.checkEnoughReplicasReachOffset(requiredOffset, minInsyncReplicas);
    if (outcome === 'REACHED') return null;
    if (outcome !== 'WAITING') return Promise.reject(outcome);
    return new Promise<void>((resolve, reject) => {
      const waiter: ReplicaWaiter = {
        requiredOffset,
        minInsyncReplicas,
        resolve,
        reject,
        timer: this.scheduler.after(timeoutMs, () => {
          this.waiters.delete(waiter);
          reject(
            new RequestTimedOutError(
              `${this.topic}-${this.partition}: the in-sync replicas did not reach offset ${requiredOffset} within ${timeoutMs} ms`,
            ),
          );
        }),
      };
      this.waiters.add(waiter);
    });
  }

  /** Fails every waiting acks ALL produce (the partition is closed or deleted). */
  abortWaiters(error: unknown): void {
    for (const waiter of this.waiters) this.settle(waiter, error);
  }

  private completeWaiters(): void {
    for (const waiter of this.waiters) {
      const outcome = this.checkEnoughReplicasReachOffset(waiter.requiredOffset, waiter.minInsyncReplicas);
      if (outcome !== 'WAITING') this.settle(waiter, outcome === 'REACHED' ? null : outcome);
    }
  }

  private settle(waiter: ReplicaWaiter, error: unknown): void {
    waiter.timer.cancel();
    this.waiters.delete(waiter);
    if (error === null) waiter.resolve();
    else waiter.reject(error);
  }

  private checkMinIsr(minInsyncReplicas: number): void {
    const minIsr = effectiveMinIsr(minInsyncReplicas, this.current.replicas.length);
    if (this.current.isr.length < minIsr) throw new NotEnoughReplicasError(this.topic, this.partition, this.current.isr.length, minIsr);
  }

  private requireLeader(): void {
    if (this.currentRole !== 'LEADER') throw this.notLeader();
  }

  private notLeader(): NotLeaderOrFollowerError {
    return new NotLeaderOrFollowerError(this.topic, this.partition, this.current.leaderId, this.current.leaderEpoch);
  }
}
