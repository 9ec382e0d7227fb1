/**
 * One member of a consumer group: a live `records(topic, group:)` subscription or a pull consumer,
 * owned by the gateway. Holds what the coordinator tracks per member: liveness (last heartbeat,
 * connected), the partitions it owns (each with the generation it was assigned in, the
 * "assignment epoch" that fences zombie commits as in KIP-1251), the partitions being revoked
 * from it, the generation it has not acknowledged yet, paused partitions and, for auto-commit
 * members, the offsets delivered but not committed yet.
 *
 * Mutated only by ConsumerGroup and GroupCoordinator, on the event loop (no concurrent access).
 */
import { sortTopicPartitions, tpFromKey, type TopicPartition } from './topic-partition';

export interface RevokingPartition {
  /** Generation the member got the partition in: its commits must name this generation or later. */
  readonly assignedInGeneration: number;
  /** Generation whose assignment revoked it: acknowledging this generation releases the partition. */
  readonly revokedInGeneration: number;
}

export interface MemberOptions {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly clientId: string | null;
  readonly host: string | null;
  readonly topics: readonly string[];
  readonly sessionTimeoutMs: number;
  readonly rebalanceTimeoutMs: number;
  readonly autoCommit: boolean;
  /** Monotonic clock reading at join. */
  readonly monotonicNowMs: number;
}

export class GroupMember {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  clientId: string | null;
  host: string | null;
  topics: readonly string[];
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  autoCommit: boolean;
  /** False for a static member whose connection closed: it keeps its partitions until its session expires. */
  connected = true;
  /**
   * Which connection holds the member: 1 at join, one more each time a static member is taken
   * over by a new connection. A static member keeps its member id across connections, so calls
   * that name this (heartbeat, acknowledge, leave) tell the holder from the connection it replaced.
   */
  connectionId = 1;
  /** Monotonic clock reading of the last heartbeat (or join). */
  lastHeartbeatMonotonicMs: number;
  /** Latest generation in which this member's assignment changed (what it must acknowledge). */
  generationId = 0;
  /** The generation this member has not acknowledged yet, and when it must have. */
  pendingAck: { readonly generationId: number; readonly deadlineMonotonicMs: number } | null = null;
  /** partition key → generation it was assigned in. */
  readonly owned = new Map<string, number>();
  readonly revoking = new Map<string, RevokingPartition>();
  readonly paused = new Set<string>();
  /** partition key → next offset after the last delivered record (auto-commit members only). */
  readonly delivered = new Map<string, number>();
  lastAutoCommitMonotonicMs: number;

  constructor(options: MemberOptions) {
    this.memberId = options.memberId;
    this.groupInstanceId = options.groupInstanceId;
    this.clientId = options.clientId;
    this.host = options.host;
    this.topics = [...options.topics];
    this.sessionTimeoutMs = options.sessionTimeoutMs;
    this.rebalanceTimeoutMs = options.rebalanceTimeoutMs;
    this.autoCommit = options.autoCommit;
    this.lastHeartbeatMonotonicMs = options.monotonicNowMs;
    this.lastAutoCommitMonotonicMs = options.monotonicNowMs;
  }

  /** The generation in which the member got `key`, whether it still owns it or is giving it up. */
  assignedInGeneration(key: string): number | undefined {
    return this.owned.get(key) ?? this.revoking.get(key)?.assignedInGeneration;
  }

  ownedPartitions(): TopicPartition[] {
    return sortTopicPartitions([...this.owned.keys()].map(tpFromKey));
  }

  revokingPartitions(): TopicPartition[] {
    return sortTopicPartitions([...this.revoking.keys()].map(tpFromKey));
  }

  pausedPartitions(): TopicPartition[] {
    return sortTopicPartitions([...this.paused].map(tpFromKey));
  }

  sessionExpired(monotonicNowMs: number): boolean {
    return monotonicNowMs - this.lastHeartbeatMonotonicMs > this.sessionTimeoutMs;
  }
}
