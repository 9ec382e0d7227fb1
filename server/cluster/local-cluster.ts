/**
 * The embedded single-node cluster (docs/ARCHITECTURE.md "Cluster and replication": single node
 * is the default). This node is the only live node and the controller, and it leads every
 * partition with itself as the whole ISR. The cluster id is the catalog's, made once and kept, so
 * it is the same after a restart. A multi-node cluster replaces this with etcd membership and an
 * elected controller; the broker's use cases ask it the same questions.
 */
import type { Catalog, PartitionRecord } from '../catalog/catalog';
import type { ClusterMembership, ClusterNode, TopicPlacement, TopicPlacementRequest } from './cluster-membership';
import type { ReplicaAssignment } from './partition';

export class LocalCluster implements ClusterMembership {
  private constructor(
    readonly clusterId: string,
    readonly nodeId: number,
  ) {}

  static async open(catalog: Catalog, nodeId: number): Promise<LocalCluster> {
    return new LocalCluster(await catalog.clusterId(), nodeId);
  }

  get controllerId(): number {
    return this.nodeId;
  }

  liveNodeIds(): number[] {
    return [this.nodeId];
  }

  liveNodes(self: { host: string; port: number; startedAtMs: number }): ClusterNode[] {
    return [{ nodeId: this.nodeId, ...self, clusterPort: null, rack: null }];
  }

  /** Every partition led by this node (the replication factor was checked against the one live node). */
  placeTopic(request: TopicPlacementRequest): Promise<TopicPlacement> {
    return Promise.resolve({ assignments: Array.from({ length: request.partitions }, () => this.newAssignment()) });
  }

  /** Nothing beyond this node's own delete. */
  deleteTopic(): Promise<void> {
    return Promise.resolve();
  }

  /** This node leads every partition already. */
  electPreferredLeader(): Promise<number | null> {
    return Promise.resolve(null);
  }

  isController(nodeId: number): boolean {
    return nodeId === this.controllerId;
  }

  placePartitions(_topic: string, from: number, count: number): Promise<ReplicaAssignment[]> {
    return Promise.resolve(Array.from({ length: count - from }, () => this.newAssignment()));
  }

  /** A new partition: led by this node, its only replica and the whole ISR, epoch 0. */
  private newAssignment(): ReplicaAssignment {
    return { leaderId: this.nodeId, leaderEpoch: 0, replicas: [this.nodeId], isr: [this.nodeId] };
  }

  /**
   * What this node applies to a stored partition: the catalog's row, unless the row names
   * another node (the data dir was written under another --node-id); then this node, the only
   * one there is, stands in as leader and only replica, so the partition is served as before.
   */
  assignmentFor(stored: PartitionRecord): ReplicaAssignment {
    if (stored.leaderId === this.nodeId && stored.isr.includes(this.nodeId)) return stored;
    return { ...this.newAssignment(), leaderEpoch: stored.leaderEpoch };
  }

  /** One node: its own overrides are the stored ones. */
  async alterTopicConfigs(
    _topic: string,
    current: Readonly<Record<string, string>>,
    next: (stored: Readonly<Record<string, string>>) => Record<string, string>,
  ): Promise<Record<string, string>> {
    return next(current);
  }

  /** One node: its registry is the whole truth. */
  async awaitTopic(): Promise<void> {}
}
