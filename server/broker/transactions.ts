/**
 * The broker's side of transactions: builds the transaction coordinator on the node's own parts
 * (markers through each partition's Partition, the way produce appends; offsets through the group
 * coordinator; the sequencer told when an epoch changes) and answers the `transactions` query.
 * The coordinator itself is server/coordinators/transactions/ (its README has the design).
 */
import type { ControlRecordType } from '../../storage/index';
import type { TransactionStateName, TransactionTopicPartition } from '../catalog/catalog';
import type { GroupCoordinator } from '../coordinators/groups/index';
import type { FailpointHook } from '../coordinators/transactions/failpoints';
import {
  DEFAULT_TRANSACTIONAL_ID_EXPIRATION_MS,
  TransactionCoordinator,
  type ProducerIdentity,
} from '../coordinators/transactions/transaction-coordinator';
import type { BrokerDeps } from './broker-deps';
import { ACKS_ALL_TIMEOUT_MS } from './produce';
import { notifyPartitionChanged } from './topic-registry';

/** One transactional id's transaction, as the `transactions` query shows it. */
export interface TransactionView {
  transactionalId: string;
  producerId: number;
  /** The transaction's epoch (for one the node aborted: the epoch that fenced it). */
  epoch: number;
  state: TransactionStateName;
  partitions: TransactionTopicPartition[];
  startedAtMs: number | null;
  timeoutMs: number;
}

type MarkerDeps = Pick<BrokerDeps, 'registry' | 'replicas' | 'clock'>;

/** Appends a marker as the partition's leader and waits until the ISR has it (acks ALL); a partition gone since is skipped. */
export async function writeMarker(
  deps: MarkerDeps,
  tp: TransactionTopicPartition,
  type: ControlRecordType,
  producer: ProducerIdentity,
): Promise<void> {
  const topic = deps.registry.get(tp.topic);
  const runtime = topic?.partitions[tp.partition];
  if (!topic || !runtime) return;
  const partition = deps.replicas.partitionFor(tp.topic, tp.partition);
  const { result, highWatermarkIncremented } = await partition.appendEndTxnMarkerToLeader(
    type,
    producer.producerId,
    producer.epoch,
    deps.clock.nowMs(),
  );
  if (highWatermarkIncremented) notifyPartitionChanged(topic, runtime);
  const waiting = partition.awaitReplicas(result.lastOffset + 1, topic.config.broker.minInsyncReplicas, ACKS_ALL_TIMEOUT_MS);
  if (waiting) await waiting;
}

export function createTransactionCoordinator(
  deps: Omit<BrokerDeps, 'transactions'>,
  groups: () => GroupCoordinator,
  failpoint: FailpointHook | undefined,
  transactionalIdExpirationMs = DEFAULT_TRANSACTIONAL_ID_EXPIRATION_MS,
): TransactionCoordinator {
  return new TransactionCoordinator({
    catalog: deps.catalog,
    clock: deps.clock,
    scheduler: deps.scheduler,
    writeMarker: (tp, type, producer) => writeMarker(deps, tp, type, producer),
    commitOffsets: async (group, offsets) => {
      await groups().commitTransactionalOffsets(group, offsets);
    },
    producerEpochChanged: (producerId) => deps.producers.forget(producerId),
    logger: deps.logger,
    failpoint,
    transactionalIdExpirationMs,
  });
}

export function transactionViews(coordinator: TransactionCoordinator, state: TransactionStateName | null): TransactionView[] {
  return coordinator
    .list()
    .filter((record) => state === null || record.state === state)
    .map((record) => ({
      transactionalId: record.transactionalId,
      producerId: record.producerId,
      epoch: record.epoch,
      state: record.state,
      partitions: record.partitions.map((tp) => ({ ...tp })),
      startedAtMs: record.startedAtMs,
      timeoutMs: record.timeoutMs,
    }));
}
