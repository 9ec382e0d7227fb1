/**
 * The cluster as the broker's use cases see it, whatever its size: its id, the live nodes, the
 * controller, where a new topic's replicas go and which assignment a stored partition starts
 * with. LocalCluster (local-cluster.ts) is the embedded single node; EtcdCluster
 * (etcd/etcd-cluster.ts) is a node of a cluster coordinated through etcd.
 */
import type { PartitionRecord } from '../catalog/catalog';
import type { ReplicaAssignment } from './partition';

export interface ClusterNode {
  nodeId: number;
  host: string;
  port: number;
  /** The replication listener (null on the embedded single node, which has none). */
  clusterPort: number | null;
  rack: string | null;
  startedAtMs: number;
}

export interface TopicPlacementRequest {
  name: string;
  partitions: number;
  replicationFactor: number;
  configs: Readonly<Record<string, string>>;
}

export interface TopicPlacement {
  /** The topic's id when the cluster chose it (every replica keeps the same), else the catalog makes one. */
  topicId?: string;
  /** One per partition, in partition order. */
  assignments: ReplicaAssignment[];
}

/** A topic created elsewhere in the cluster, as this node keeps its copy. */
export interface AdoptedTopic {
  name: string;
  topicId: string;
  partitions: number;
  replicationFactor: number;
  configs: Readonly<Record<string, string>>;
}

export interface ClusterMembership {
  readonly clusterId: string;
  readonly nodeId: number;
  /** The controller's node id, or null while none is elected. */
  readonly controllerId: number | null;
  liveNodeIds(): number[];
  /** The live nodes; `self` is how this node is reached and since when it runs. */
  liveNodes(self: { host: string; port: number; startedAtMs: number }): ClusterNode[];
  isController(nodeId: number): boolean;
  /** Replicas and first state of each partition of a new topic (INVALID_REPLICATION_FACTOR, TOPIC_ALREADY_EXISTS, REQUEST_TIMED_OUT). */
  placeTopic(request: TopicPlacementRequest): Promise<TopicPlacement>;
  /**
   * Sets a topic's config overrides for the whole cluster: `next` maps the overrides stored now to
   * the new ones (it may throw to refuse them); every node then applies them to its copy. In a
   * cluster the topic key is rewritten with a compare-and-swap, `next` called again on a lost race;
   * on the embedded node `next` is called once on the node's own overrides.
   */
  alterTopicConfigs(
    topic: string,
    current: Readonly<Record<string, string>>,
    next: (stored: Readonly<Record<string, string>>) => Record<string, string>,
  ): Promise<Record<string, string>>;
  /** Deletes the topic for the whole cluster (each node then drops its copy); nothing on the embedded node. */
  deleteTopic(name: string): Promise<void>;
  /**
   * The first states of the partitions `from`..`count - 1` added to an existing topic (in a
   * cluster: placed by the controller, every node then adds them; INVALID_PARTITIONS when
   * another call raised the count first, REQUEST_TIMED_OUT).
   */
  placePartitions(topic: string, from: number, count: number): Promise<ReplicaAssignment[]>;
  /**
   * Preferred-leader election of one partition (electLeaders): its first replica leads again, in a
   * new leader epoch, when it is in the ISR and alive; the new epoch, or null when it leads already
   * (PREFERRED_LEADER_NOT_AVAILABLE when it cannot lead now).
   */
  electPreferredLeader(topic: string, partition: number): Promise<number | null>;
  /**
   * Called when this node does not know `topic` (or its `partition`): resolves once the node has
   * applied the cluster's current state of it, so a topic (or partition) created through another
   * node a moment ago is served instead of answered UNKNOWN_TOPIC_OR_PARTITION. Resolves at once
   * when the cluster has no such topic or partition, and on the embedded node (REQUEST_TIMED_OUT
   * when the node does not catch up in time).
   */
  awaitTopic(topic: string, partition: number): Promise<void>;
  /** What this node applies to a stored partition when it opens its log. */
  assignmentFor(stored: PartitionRecord): ReplicaAssignment;
}
