/**
 * Transaction markers: the single record of a control batch (storage/FORMAT.md §4).
 *
 * key   => version:int16 (0) type:int16 (0 ABORT, 1 COMMIT)
 * value => version:int16 (0) coordinatorEpoch:int32
 *
 * Kafka's KRaft adds types 2–6 (leader change, snapshot header/footer, voters); they never
 * appear in a partition log here, so any type but 0/1 reads as 'UNKNOWN' rather than failing.
 * Write the marker with encodeRecordBatch([marker], { isControl: true, isTransactional: true,
 * producerId, producerEpoch, … }).
 *
 * Concurrency: pure functions.
 */
import { CorruptRecordError } from '../errors';
import type { LogRecordInput } from './record';

export type ControlRecordType = 'ABORT' | 'COMMIT';

export interface EndTransactionMarker {
  type: ControlRecordType;
  coordinatorEpoch: number;
}

const CONTROL_KEY_SIZE_BYTES = 4;
const END_TXN_MARKER_VALUE_SIZE_BYTES = 6;
const CURRENT_VERSION = 0;

export function encodeEndTransactionMarker(marker: EndTransactionMarker, timestampMs: number): LogRecordInput {
  const key = Buffer.alloc(CONTROL_KEY_SIZE_BYTES);
  key.writeInt16BE(CURRENT_VERSION, 0);
  key.writeInt16BE(marker.type === 'COMMIT' ? 1 : 0, 2);
  const value = Buffer.alloc(END_TXN_MARKER_VALUE_SIZE_BYTES);
  value.writeInt16BE(CURRENT_VERSION, 0);
  value.writeInt32BE(marker.coordinatorEpoch, 2);
  return { key, value, headers: [], timestampMs };
}

/** The control type named by a control record's key. */
export function readControlRecordType(key: Buffer | null): ControlRecordType | 'UNKNOWN' {
  if (key === null || key.length < CONTROL_KEY_SIZE_BYTES) {
    throw new CorruptRecordError(`control record key has ${key?.length ?? 'no'} bytes, needs ${CONTROL_KEY_SIZE_BYTES}`);
  }
  const type = key.readInt16BE(2);
  return type === 0 ? 'ABORT' : type === 1 ? 'COMMIT' : 'UNKNOWN';
}

/** Parses a COMMIT/ABORT marker record; CorruptRecordError if it is not one. */
export function decodeEndTransactionMarker(record: { key: Buffer | null; value: Buffer | null }): EndTransactionMarker {
  const type = readControlRecordType(record.key);
  if (type === 'UNKNOWN') throw new CorruptRecordError('control record is not a COMMIT or ABORT marker');
  if (record.value === null || record.value.length < END_TXN_MARKER_VALUE_SIZE_BYTES) {
    throw new CorruptRecordError(
      `end-transaction marker value has ${record.value?.length ?? 'no'} bytes, needs ${END_TXN_MARKER_VALUE_SIZE_BYTES}`,
    );
  }
  return { type, coordinatorEpoch: record.value.readInt32BE(2) };
}
