/**
 * The seams between the cluster's control plane (etcd membership, the controller, partition
 * state: server/cluster/etcd/) and its data plane (the replication protocol on the cluster port,
 * the follower fetchers, ISR changes: server/cluster/replication/). Each side codes against
 * these types only, so either can be tested with an in-memory twin of the other.
 * docs/ARCHITECTURE.md "Cluster and replication".
 */
import type { ReplicaAssignment } from './partition';

/** A partition's state as the controller stored it (etcd), with the version a CAS checks. */
export interface PartitionState extends ReplicaAssignment {
  readonly topic: string;
  readonly partition: number;
  /** Bumped by every write of this partition's state; an ISR change names the version it read. */
  readonly version: number;
}

/** How to reach a live node. */
export interface NodeEndpoint {
  readonly nodeId: number;
  /** The advertised host. */
  readonly host: string;
  /** The GraphQL (HTTP and WebSocket) port. */
  readonly port: number;
  /** The replication listener. */
  readonly clusterPort: number;
  readonly rack: string | null;
}

/** Control plane → data plane: where the nodes are (live members only). */
export interface NodeDirectory {
  endpointOf(nodeId: number): NodeEndpoint | undefined;
}

/** The outcome of an ISR change: the stored state after it (the new one, or the one that won the race). */
export type AlterIsrResult =
  { readonly applied: true; readonly state: PartitionState } | { readonly applied: false; readonly state: PartitionState | null };

/**
 * Data plane → control plane: a leader asks to shrink or expand a partition's ISR (Kafka's
 * AlterPartition). Applied only while the stored state still has `leaderEpoch` and
 * `expectedVersion` (a compare-and-swap): a deposed leader's request never lands.
 */
export interface IsrChangeSink {
  alterIsr(topic: string, partition: number, leaderEpoch: number, isr: readonly number[], expectedVersion: number): Promise<AlterIsrResult>;
}

/**
 * Control plane → this node (ReplicaManager.becomeLeaderOrFollower): the partition states that
 * name this node as a replica, as they change. The data plane applies each (leader: serve
 * produce and follower fetches; follower: truncate by leader epoch, then fetch from the leader).
 */
export interface PartitionStateListener {
  becomeLeaderOrFollower(states: readonly PartitionState[]): Promise<void>;
}
