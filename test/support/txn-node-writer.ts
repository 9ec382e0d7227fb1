/**
 * Writes transactional batches and COMMIT/ABORT markers into a running in-process node's
 * partitions, as the transaction coordinator (issue #12's write side, built in parallel) writes
 * them: straight into the partition's log with the transactional append options, then the high
 * watermark moves and the partition's readers are woken, exactly as a produce does
 * (server/broker/produce.ts). The broker keeps its topic registry private; tests reach it here,
 * in one place, until the coordinator's mutations can be called instead.
 */
import type { BrokerDeps } from '../../server/broker/broker-deps';
import { notifyPartitionChanged } from '../../server/broker/topic-registry';
import type { RunningNode } from '../../server/main';
import { encodeEndTransactionMarker, type AppendResult, type LogRecordInput } from '../../storage';

export class TxnNodeWriter {
  private readonly sequences = new Map<string, number>();

  constructor(private readonly node: RunningNode) {}

  private get deps(): BrokerDeps {
    return (this.node.broker as unknown as { deps: BrokerDeps }).deps;
  }

  /** Records of producer `producerId`'s transaction (opened by its first batch in the partition). */
  write(topic: string, partition: number, producerId: number, values: string[]): Promise<AppendResult> {
    const key = `${topic}/${partition}/${producerId}`;
    const sequence = this.sequences.get(key) ?? 0;
    this.sequences.set(key, sequence + 1);
    const records: LogRecordInput[] = values.map((value) => ({ key: null, value: Buffer.from(value), headers: [], timestampMs: Date.now() }));
    return this.append(topic, partition, records, { producerId, producerEpoch: 0, baseSequence: sequence, isTransactional: true });
  }

  /** Plain (non-transactional) records. */
  writePlain(topic: string, partition: number, values: string[]): Promise<AppendResult> {
    const records: LogRecordInput[] = values.map((value) => ({ key: null, value: Buffer.from(value), headers: [], timestampMs: Date.now() }));
    return this.append(topic, partition, records, {});
  }

  marker(topic: string, partition: number, producerId: number, type: 'COMMIT' | 'ABORT'): Promise<AppendResult> {
    return this.append(topic, partition, [encodeEndTransactionMarker({ type, coordinatorEpoch: 0 }, Date.now())], {
      producerId, producerEpoch: 0, baseSequence: -1, isTransactional: true, isControl: true,
    });
  }

  private async append(topic: string, partition: number, records: LogRecordInput[], options: object): Promise<AppendResult> {
    const runtime = this.deps.registry.requirePartition(topic, partition);
    const result = await runtime.log.append(records, { leaderEpoch: runtime.replica.leaderEpoch, ...options });
    if (runtime.replica.maybeIncrementLeaderHW()) notifyPartitionChanged(this.deps.registry.require(topic), runtime);
    return result;
  }
}
