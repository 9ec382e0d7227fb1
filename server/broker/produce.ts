/**
 * The produce use case. A call's records are validated as a whole first (partition numbers,
 * header counts, timestamps against the topic's allowed skew, sizes against max.message.bytes),
 * then grouped by partition into one batch each and appended to the partitions in parallel. Each
 * partition's batch is one log append, so it is atomic: a rejected record leaves nothing of the
 * call appended to its partition. Appends go through the partition's Partition (server/cluster),
 * which owns the replica state: acks LEADER returns once the leader's append is durable (the
 * log's flush policy); acks ALL also needs min.insync.replicas in the ISR before it appends and
 * returns once the high watermark covers the append (on one node both hold at once, so the two
 * answer alike); acks NONE returns once validated, with offsets -1, and the append completes in
 * the background. An idempotent call (producer + sequence) runs in its producer's sequence order
 * (producer-sequencer.ts) and each partition's log answers a batch it already holds with the
 * original offsets; its keyless records go to (producerId + sequence) mod partitions, so a retry
 * partitions exactly as the original did (storage/FORMAT.md §12).
 */
import { decodeRecordBatch, InvalidRecordError, RecordTooLargeError, uncompressedBatchSizeBytes } from '../../storage/index';
import type { AppendResult, LogRecordInput, PartitionLog, RecordHeader } from '../../storage/index';
import type { RequiredAcks } from '../cluster/partition';
import { BadUserInputError, LimitExceededError, UnknownTopicOrPartitionError } from '../errors';
import type { BrokerDeps } from './broker-deps';
import { originalPartitioning } from './original-partitioning';
import { knownTopic } from './known-topic';
import { partitionForKey } from './partitioner';
import { SEQUENCE_MODULUS } from './producer-sequencer';
import { notifyPartitionChanged, type TopicRuntime } from './topic-registry';
import type { PartitionProduceResult, ProduceOutcome, ProduceRecord, ProduceRequest, RecordMetadata } from './types';

/** Longest an acks ALL produce waits for the ISR to reach its records (Kafka's request.timeout.ms default). */
export const ACKS_ALL_TIMEOUT_MS = 30_000;

interface PartitionBatch {
  partition: number;
  inputIndexes: number[];
  records: LogRecordInput[];
}

export async function produce(deps: BrokerDeps, request: ProduceRequest): Promise<ProduceOutcome> {
  if (request.producer || request.sequence != null) {
    const { producer, sequence } = validateIdempotent(request);
    if (deps.transactions.isTransactional(producer.producerId)) {
      // Inside its transaction only; the partitions are registered before anything is appended (server/coordinators/transactions/README.md).
      return deps.transactions.runProduce(producer, (register) =>
        deps.producers.run(producer, sequence, (isRetry) =>
          produceOnce(deps, request, { ...producer, sequence, isRetry, isTransactional: true, register }),
        ),
      );
    }
    return deps.producers.run(producer, sequence, (isRetry) => produceOnce(deps, request, { ...producer, sequence, isRetry }));
  }
  return produceOnce(deps, request, null);
}

async function produceOnce(deps: BrokerDeps, request: ProduceRequest, idempotent: IdempotentFields | null): Promise<ProduceOutcome> {
  const topic = await knownTopic(deps, request.topic, highestPartition(request.records));
  validateCount(deps, request.records.length);
  const nowMs = deps.clock.nowMs();
  const group = (partitionCount: number) => groupByPartition(deps, topic, request.records, nowMs, idempotent, partitionCount);
  const batches = idempotent?.isRetry ? originalPartitioning(topic, idempotent, nowMs, group) : group(topic.partitions.length);
  if (idempotent?.register) await idempotent.register(batches.map((b) => ({ topic: request.topic, partition: b.partition })));

  if (request.acks === 'NONE') {
    for (const batch of batches) {
      appendBatch(deps, topic, batch, 'NONE').catch((error: unknown) => {
        deps.logger.error({ err: error, topic: request.topic, partition: batch.partition }, 'acks=NONE append failed');
        deps.onBackgroundError(error);
      });
    }
    return {
      topic: request.topic,
      partitions: batches.map((b) => ({ partition: b.partition, baseOffset: -1, lastOffset: -1, count: b.records.length })),
      records: metadataWithoutOffsets(batches, request.records.length),
    };
  }

  const appended = await Promise.all(batches.map((batch) => appendBatch(deps, topic, batch, request.acks, idempotent)));
  const partitions: PartitionProduceResult[] = [];
  const records: RecordMetadata[] = new Array(request.records.length);
  batches.forEach((batch, b) => {
    const result = appended[b]!;
    partitions.push({
      partition: batch.partition,
      baseOffset: result.baseOffset,
      lastOffset: result.lastOffset,
      count: batch.records.length,
    });
    const logAppendTime = topic.config.log.messageTimestampType === 'LogAppendTime';
    batch.inputIndexes.forEach((inputIndex, i) => {
      records[inputIndex] = {
        partition: batch.partition,
        offset: result.baseOffset + i,
        timestampMs: logAppendTime ? result.logAppendTimeMs : (result.storedTimestampsMs?.[i] ?? batch.records[i]!.timestampMs),
      };
    });
  });
  return { topic: request.topic, partitions, records };
}

async function appendBatch(
  deps: BrokerDeps,
  topic: TopicRuntime,
  batch: PartitionBatch,
  acks: RequiredAcks,
  idempotent: IdempotentFields | null = null,
): Promise<AppendResult & { storedTimestampsMs?: number[] }> {
  const partition = deps.replicas.partitionFor(topic.record.name, batch.partition);
  const { minInsyncReplicas } = topic.config.broker;
  const { result, highWatermarkIncremented } = await partition.appendRecordsToLeader(batch.records, acks, minInsyncReplicas, idempotent);
  if (highWatermarkIncremented) notifyPartitionChanged(topic, topic.partitions[batch.partition]!);
  if (!result.duplicate) deps.metrics.recordsProduced(topic.record.name, batch.records.length, result.sizeBytes);
  if (acks === 'ALL') {
    // null (no promise, no await) once the ISR has the records: always, on one node.
    const waiting = partition.awaitReplicas(result.lastOffset + 1, minInsyncReplicas, ACKS_ALL_TIMEOUT_MS);
    if (waiting) await waiting;
  }
  // A retry answers the original's timestamps too (the node's clock stamped those left null then).
  return result.duplicate ? { ...result, storedTimestampsMs: await storedTimestamps(partition.log, result) } : result;
}

async function storedTimestamps(log: PartitionLog, result: AppendResult): Promise<number[]> {
  const batches = await log.read(result.baseOffset, { maxOffset: result.lastOffset + 1 });
  return batches.flatMap((b) =>
    decodeRecordBatch(b.bytes)
      .records.filter((r) => r.offset >= result.baseOffset && r.offset <= result.lastOffset)
      .map((r) => r.timestampMs),
  );
}

interface IdempotentFields {
  producerId: number;
  epoch: number;
  sequence: number;
  /** The sequencer saw this sequence appended before (a retry). */
  isRetry?: boolean;
  /** A transactional producer's call: its batches are marked transactional, after `register` recorded their partitions. */
  isTransactional?: boolean;
  register?: (partitions: { topic: string; partition: number }[]) => Promise<void>;
}

function validateIdempotent(request: ProduceRequest): { producer: { producerId: number; epoch: number }; sequence: number } {
  const { producer, sequence } = request;
  if (!producer || sequence == null)
    throw new BadUserInputError('an idempotent produce needs both producer and sequence', { field: producer ? 'sequence' : 'producer' });
  if (!Number.isInteger(sequence) || sequence < 0 || sequence >= SEQUENCE_MODULUS) {
    throw new BadUserInputError(`sequence must be an integer in [0, 2^31-1] (it wraps to 0 after 2^31-1), got ${sequence}`, {
      field: 'sequence',
    });
  }
  if (!Number.isInteger(producer.epoch) || producer.epoch < 0 || producer.epoch > 0x7fff)
    throw new BadUserInputError(`epoch must be in [0, 32767], got ${producer.epoch}`, { field: 'epoch' });
  // Kafka's enable.idempotence requires acks=all; LEADER is allowed too (one node: the same), NONE never answers offsets to compare.
  if (request.acks === 'NONE') throw new BadUserInputError('an idempotent produce needs acks LEADER or ALL', { field: 'acks' });
  return { producer: { producerId: producer.producerId, epoch: producer.epoch }, sequence };
}

function validateCount(deps: BrokerDeps, count: number): void {
  if (count === 0) throw new BadUserInputError('records must not be empty');
  const max = deps.limits.produceRecordsMax;
  if (count > max) throw new LimitExceededError(`a produce call takes at most ${max} records, got ${count}`, { max, count });
}

function groupByPartition(
  deps: BrokerDeps,
  topic: TopicRuntime,
  records: ProduceRecord[],
  nowMs: number,
  idempotent: IdempotentFields | null,
  partitionCount = topic.partitions.length,
): PartitionBatch[] {
  const byPartition = new Map<number, PartitionBatch>();
  let stickyPartition = -1;
  const { maxMessageBytes } = topic.config.log;
  records.forEach((record, index) => {
    let partition: number;
    if (record.partition !== null) {
      if (record.partition < 0 || record.partition >= partitionCount) {
        throw new UnknownTopicOrPartitionError(topic.record.name, record.partition);
      }
      partition = record.partition;
    } else if (record.key !== null) {
      partition = partitionForKey(record.key, partitionCount);
    } else {
      if (stickyPartition < 0)
        stickyPartition = idempotent
          ? (idempotent.producerId + idempotent.sequence) % partitionCount
          : deps.sticky.next(topic.record.name, partitionCount);
      partition = stickyPartition;
    }
    const timestampMs = validateTimestamp(topic, record.timestampMs, nowMs, index);
    validateHeaders(deps, record.headers, index);
    let batch = byPartition.get(partition);
    if (!batch) {
      batch = { partition, inputIndexes: [], records: [] };
      byPartition.set(partition, batch);
    }
    batch.inputIndexes.push(index);
    batch.records.push({ key: record.key, value: record.value, headers: record.headers, timestampMs });
  });
  const batches = [...byPartition.values()].sort((a, b) => a.partition - b.partition);
  for (const batch of batches) {
    // A partition's records form one atomic batch; it must fit max.message.bytes whole.
    const sizeBytes = uncompressedBatchSizeBytes(batch.records);
    if (sizeBytes > maxMessageBytes) throw new RecordTooLargeError(sizeBytes, maxMessageBytes);
  }
  return batches;
}

function validateTimestamp(topic: TopicRuntime, timestampMs: number | null, nowMs: number, index: number): number {
  if (timestampMs === null) return nowMs;
  if (!Number.isSafeInteger(timestampMs) || timestampMs < 0) {
    throw new InvalidRecordError(`record ${index}: timestamp must be a non-negative integer of milliseconds`, { index });
  }
  if (topic.config.log.messageTimestampType === 'LogAppendTime') return timestampMs;
  const { timestampBeforeMaxMs, timestampAfterMaxMs } = topic.config.broker;
  if (timestampBeforeMaxMs >= 0 && timestampMs < nowMs - timestampBeforeMaxMs) {
    throw new InvalidRecordError(`record ${index}: timestamp is more than ${timestampBeforeMaxMs} ms in the past`, { index, timestampMs });
  }
  if (timestampAfterMaxMs >= 0 && timestampMs > nowMs + timestampAfterMaxMs) {
    throw new InvalidRecordError(`record ${index}: timestamp is more than ${timestampAfterMaxMs} ms in the future`, { index, timestampMs });
  }
  return timestampMs;
}

function validateHeaders(deps: BrokerDeps, headers: RecordHeader[], index: number): void {
  const { headersPerRecordMax, headerKeyBytesMax } = deps.limits;
  if (headers.length > headersPerRecordMax) {
    throw new LimitExceededError(`record ${index} has ${headers.length} headers; at most ${headersPerRecordMax}`, { index });
  }
  for (const header of headers) {
    if (Buffer.byteLength(header.key) > headerKeyBytesMax) {
      throw new InvalidRecordError(`record ${index}: header key longer than ${headerKeyBytesMax} bytes`, { index });
    }
  }
}

function metadataWithoutOffsets(batches: PartitionBatch[], count: number): RecordMetadata[] {
  const records: RecordMetadata[] = new Array(count);
  for (const batch of batches) {
    for (const inputIndex of batch.inputIndexes) records[inputIndex] = { partition: batch.partition, offset: -1, timestampMs: -1 };
  }
  return records;
}

/** The highest partition a call names explicitly (0 when none does): the one this node must know. */
function highestPartition(records: readonly ProduceRecord[]): number {
  let highest = 0;
  for (const record of records)
    if (record.partition !== null && Number.isInteger(record.partition) && record.partition > highest) highest = record.partition;
  return highest;
}
