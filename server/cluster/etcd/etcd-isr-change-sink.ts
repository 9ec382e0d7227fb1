/**
 * AlterIsr through etcd (cluster-view.ts IsrChangeSink; docs/CLUSTER-PROTOCOL.md "Control plane
 * in etcd"): the leader's ISR change is one transaction conditioned on the partition state's mod
 * revision being the version the leader read, and is refused before that when the state read at
 * that version has another leader epoch or leader. The answer is the stored state after it.
 */
import type { Etcd3 } from 'etcd3';
import type { AlterIsrResult, IsrChangeSink, PartitionState } from '../cluster-view';
import type { ClusterState } from './cluster-state';
import { assignmentValue, parseAssignment, partitionState, type ClusterKeys } from './etcd-keys';

export class EtcdIsrChangeSink implements IsrChangeSink {
  constructor(
    private readonly client: Etcd3,
    private readonly keys: ClusterKeys,
    private readonly state: ClusterState,
    private readonly leaderId: number,
  ) {}

  async alterIsr(
    topic: string,
    partition: number,
    leaderEpoch: number,
    isr: readonly number[],
    expectedVersion: number,
  ): Promise<AlterIsrResult> {
    const key = this.keys.partition(topic, partition);
    const mirrored = this.state.state(topic, partition);
    const current = mirrored?.version === expectedVersion ? mirrored : await this.read(topic, partition);
    if (!current || current.version !== expectedVersion || current.leaderEpoch !== leaderEpoch || current.leaderId !== this.leaderId)
      return { applied: false, state: current };
    const next = { leaderId: current.leaderId, leaderEpoch, replicas: current.replicas, isr: [...isr] };
    const txn = await this.client
      .if(key, 'Mod', '==', expectedVersion)
      .then(this.client.put(key).value(assignmentValue(next)))
      .else(this.client.get(key))
      .commit();
    if (txn.succeeded) return { applied: true, state: partitionState(topic, partition, next, Number(txn.header.revision)) };
    return { applied: false, state: this.stateOf(topic, partition, txn.responses[0]?.response_range?.kvs[0]) };
  }

  private async read(topic: string, partition: number): Promise<PartitionState | null> {
    const response = await this.client.get(this.keys.partition(topic, partition)).exec();
    return this.stateOf(topic, partition, response.kvs[0]);
  }

  private stateOf(topic: string, partition: number, kv: { value: Buffer; mod_revision: string } | undefined): PartitionState | null {
    const assignment = kv ? parseAssignment(kv.value.toString()) : null;
    return kv && assignment ? partitionState(topic, partition, assignment, Number(kv.mod_revision)) : null;
  }
}
