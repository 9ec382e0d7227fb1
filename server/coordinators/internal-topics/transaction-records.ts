/**
 * The key and value bytes of `__transaction_state` records (server/coordinators/INTERNAL-TOPICS.md
 * "Record formats"): key version 0 names the transactional id, value version 1 is the whole
 * catalog row (state, producer id and epoch, timeout, partitions, pending offsets), so the last
 * record per key is the state. A null value (tombstone) is not this codec's business.
 */
import type { TransactionOffsetRecord, TransactionStateName, TransactionTopicPartition } from '../../catalog/catalog';
import { CoordinatorRecordError, RecordReader, RecordWriter } from './record-bytes';

export interface TransactionStateValue {
  readonly producerId: number;
  readonly epoch: number;
  readonly timeoutMs: number;
  readonly state: TransactionStateName;
  readonly startedAtMs: number | null;
  readonly updatedAtMs: number;
  readonly partitions: readonly TransactionTopicPartition[];
  readonly offsets: readonly TransactionOffsetRecord[];
}

const KEY_VERSION = 0;
const VALUE_VERSION = 1;
/** The state byte; DEAD is never written (server/coordinators/transactions/README.md: an expired id is a tombstone). */
const STATES: readonly TransactionStateName[] = [
  'EMPTY',
  'ONGOING',
  'PREPARE_COMMIT',
  'PREPARE_ABORT',
  'COMPLETE_COMMIT',
  'COMPLETE_ABORT',
];

export function encodeTransactionKey(transactionalId: string): Buffer {
  return new RecordWriter().int16(KEY_VERSION).string(transactionalId).done();
}

export function decodeTransactionKey(bytes: Buffer): string {
  const r = new RecordReader(bytes);
  r.version(KEY_VERSION, '__transaction_state key');
  const id = r.string();
  r.end();
  return id;
}

export function encodeTransactionValue(value: TransactionStateValue): Buffer {
  const state = STATES.indexOf(value.state);
  if (state < 0) throw new CoordinatorRecordError(`transaction state ${value.state} is never written`);
  if (!Number.isInteger(value.epoch) || value.epoch < 0 || value.epoch > 32_767)
    throw new CoordinatorRecordError(`producer epoch ${value.epoch} is out of range`);
  const w = new RecordWriter().int16(VALUE_VERSION).int64(value.producerId).int16(value.epoch).int32(value.timeoutMs).int8(state);
  w.int64(value.startedAtMs ?? -1).int64(value.updatedAtMs);
  const byTopic = new Map<string, number[]>();
  for (const { topic, partition } of value.partitions) byTopic.set(topic, [...(byTopic.get(topic) ?? []), partition]);
  w.int32(byTopic.size);
  for (const [topic, partitions] of byTopic) {
    w.string(topic).int32(partitions.length);
    for (const partition of partitions) w.int32(partition);
  }
  w.int32(value.offsets.length);
  for (const o of value.offsets) w.string(o.group).string(o.topic).int32(o.partition).int64(o.offset).nullableString(o.metadata);
  return w.done();
}

export function decodeTransactionValue(bytes: Buffer): TransactionStateValue {
  const r = new RecordReader(bytes);
  r.version(VALUE_VERSION, '__transaction_state value');
  const producerId = r.int64();
  const epoch = r.int16();
  const timeoutMs = r.int32();
  const stateByte = r.int8();
  const state = STATES[stateByte];
  if (state === undefined) throw new CoordinatorRecordError(`unknown transaction state byte ${stateByte}`);
  const started = r.int64();
  const updatedAtMs = r.int64();
  const partitions: TransactionTopicPartition[] = [];
  for (let t = count(r, 4); t > 0; t--) {
    const topic = r.string();
    for (let p = count(r, 4); p > 0; p--) partitions.push({ topic, partition: r.int32() });
  }
  const offsets: TransactionOffsetRecord[] = [];
  for (let n = count(r, 16); n > 0; n--)
    offsets.push({ group: r.string(), topic: r.string(), partition: r.int32(), offset: r.int64(), metadata: r.nullableString() });
  r.end();
  return { producerId, epoch, timeoutMs, state, startedAtMs: started === -1 ? null : started, updatedAtMs, partitions, offsets };
}

/** An array count, refused when the bytes left cannot hold that many items of at least `minItemBytes`. */
function count(r: RecordReader, minItemBytes: number): number {
  const n = r.int32();
  if (n < 0 || n > r.remaining / minItemBytes) throw new CoordinatorRecordError(`array count ${n} is out of range`);
  return n;
}
