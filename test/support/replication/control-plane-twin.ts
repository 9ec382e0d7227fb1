/**
 * An in-memory twin of the cluster's control plane for data-plane tests (server/cluster/cluster-view.ts):
 * partition states with versions, the compare-and-swap ISR change (IsrChangeSink), the live
 * nodes' endpoints (NodeDirectory), and the push of every new state to the nodes it names
 * (PartitionStateListener), as the etcd control plane does. Leader changes are the test's call.
 */
import type {
  AlterIsrResult,
  IsrChangeSink,
  NodeDirectory,
  NodeEndpoint,
  PartitionState,
  PartitionStateListener,
} from '../../../server/cluster/cluster-view';

export class ControlPlaneTwin implements IsrChangeSink, NodeDirectory {
  private readonly states = new Map<string, PartitionState>();
  private readonly endpoints = new Map<number, NodeEndpoint>();
  private readonly listeners = new Map<number, PartitionStateListener>();
  /** Every ISR the twin stored, per topic-partition, in order (assertions on shrink/expand). */
  readonly isrHistory = new Map<string, number[][]>();

  endpointOf(nodeId: number): NodeEndpoint | undefined {
    return this.endpoints.get(nodeId);
  }

  /** A node joins (or comes back on a new cluster port). */
  register(nodeId: number, clusterPort: number, listener: PartitionStateListener): void {
    this.endpoints.set(nodeId, { nodeId, host: '127.0.0.1', port: 0, clusterPort, rack: null });
    this.listeners.set(nodeId, listener);
  }

  /** A node is gone (its lease expired). */
  deregister(nodeId: number): void {
    this.endpoints.delete(nodeId);
  }

  state(topic: string, partition: number): PartitionState {
    const state = this.states.get(`${topic}-${partition}`);
    if (!state) throw new Error(`no state for ${topic}-${partition}`);
    return state;
  }

  /** Writes a new state (version + 1) and pushes it to its replicas. */
  async write(topic: string, partition: number, change: Omit<PartitionState, 'topic' | 'partition' | 'version'>): Promise<PartitionState> {
    const previous = this.states.get(`${topic}-${partition}`);
    const state: PartitionState = { topic, partition, version: (previous?.version ?? 0) + 1, ...change };
    this.store(state);
    await this.push(state);
    return state;
  }

  /** A new leader from `isr` with the epoch bumped (the controller's election). */
  async elect(topic: string, partition: number, leaderId: number, isr?: readonly number[]): Promise<PartitionState> {
    const current = this.state(topic, partition);
    return this.write(topic, partition, {
      leaderId,
      leaderEpoch: current.leaderEpoch + 1,
      replicas: current.replicas,
      isr: [...(isr ?? current.isr)],
    });
  }

  async alterIsr(
    topic: string,
    partition: number,
    leaderEpoch: number,
    isr: readonly number[],
    expectedVersion: number,
  ): Promise<AlterIsrResult> {
    const current = this.states.get(`${topic}-${partition}`) ?? null;
    if (!current || current.leaderEpoch !== leaderEpoch || current.version !== expectedVersion) return { applied: false, state: current };
    const state: PartitionState = { ...current, isr: [...isr], version: current.version + 1 };
    this.store(state);
    // The leader applies the answer itself; the other replicas hear of it as a watch would tell them.
    void this.push(state, current.leaderId);
    return { applied: true, state };
  }

  /** Pushes every stored state naming `nodeId` again (a node that restarted its data plane). */
  async resend(nodeId: number): Promise<void> {
    const listener = this.listeners.get(nodeId);
    if (listener) await listener.becomeLeaderOrFollower([...this.states.values()].filter((s) => s.replicas.includes(nodeId)));
  }

  private store(state: PartitionState): void {
    const key = `${state.topic}-${state.partition}`;
    this.states.set(key, state);
    const history = this.isrHistory.get(key) ?? [];
    history.push([...state.isr]);
    this.isrHistory.set(key, history);
  }

  private async push(state: PartitionState, except: number | null = null): Promise<void> {
    for (const replicaId of state.replicas) {
      if (replicaId === except || !this.endpoints.has(replicaId)) continue;
      await this.listeners.get(replicaId)?.becomeLeaderOrFollower([state]);
    }
  }
}
